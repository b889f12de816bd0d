"""Correct answers beside twelve (sparse) files of 100 MiB each: 1.2 GiB that a grader reading them would hold."""
SPARSE = {f"data/part{i:02d}.bin": 100 * 1024**2 for i in range(12)}
EXPECT = {"*": "full"}
REASON = "MB the submission's files may total"
REFUSED = "too-large"
