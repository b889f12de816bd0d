"""Correct answers with a timestamp in year 10 000 000 000, which overflows datetime."""
FILES = {"timestamp.txt": "10000000000-01-01 00:00:00 UTC"}
EXPECT = {"*": "full"}
REASON = "timestamp.txt is not a time"
REFUSED = "timestamp"
