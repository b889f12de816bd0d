"""Correct answers from a student whose id is HTML markup: every path and report must treat it as plain text."""
STUDENT = "b-<img src=x onerror=alert(1)> & co"
EXPECT = {"*": "full"}
