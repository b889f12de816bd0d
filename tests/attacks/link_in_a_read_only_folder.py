"""Correct answers beside a link in a read-only folder, which a grader that is not root cannot move away."""
FILES = {"ro/notes.txt": "read me"}
LINKS = {"ro/link": "@COURSE@/source/random_initialization/random_initialization.ipynb"}
MODES = {"ro": 0o555}
EXPECT = {"*": "any"}
REASON = "ro/link is a symbolic link"
REFUSED = "symlink"
