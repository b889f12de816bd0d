"""Correct answers beside 600 small files, listed before the notebook in name order."""
FILES = {f"a{i:03d}.txt": "x" for i in range(600)}
EXPECT = {"*": "full"}
REASON = "beyond the first"
REFUSED = "too-many"
