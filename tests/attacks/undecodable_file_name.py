"""Correct answers beside a file whose name is not UTF-8, which text-only code cannot even hash."""
FILES = {"\udcff\udcfe.txt": "x"}
EXPECT = {"*": "full"}
