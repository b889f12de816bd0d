"""Correct answers, and a named pipe called timestamp.txt: reading it never ends."""
FIFOS = ["timestamp.txt"]
EXPECT = {"*": "full"}
REASON = "timestamp.txt is a named pipe"
REFUSED = "fifo"
