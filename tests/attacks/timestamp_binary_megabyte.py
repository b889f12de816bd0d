"""Correct answers with a timestamp.txt of a megabyte of non-ASCII text."""
FILES = {"timestamp.txt": "\u00ff\x00" * 500_000}
EXPECT = {"*": "full"}
REASON = "bytes long"
REFUSED = "timestamp"
