"""Correct answers with a timestamp.txt nbgrader cannot parse: it stops that submission with no grade at all."""
FILES = {"timestamp.txt": "the day before the deadline"}
EXPECT = {"*": "full"}
REASON = "timestamp.txt is not a time"
REFUSED = "timestamp"
