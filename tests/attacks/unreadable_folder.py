"""Correct answers beside a folder of mode 0000, which a grader that is not root can neither read nor move away."""
FILES = {"sub/notes.txt": "read me"}
MODES = {"sub": 0o000}
EXPECT = {"*": "any"}
