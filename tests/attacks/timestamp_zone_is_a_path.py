"""Correct answers with a timestamp whose time zone is a path, which dateutil opens as a zone file."""
FILES = {"timestamp.txt": "2026-11-20 12:00:00.000000 ../../../../dev/zero"}
EXPECT = {"*": "full"}
REASON = "as its time zone"
REFUSED = "timestamp"
