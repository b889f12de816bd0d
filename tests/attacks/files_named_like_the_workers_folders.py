"""Correct answers beside files named .tmp, .matplotlib and .ipython, where the worker keeps its own folders."""
EXPECT = {"*": "full"}
FILES = {".tmp": "a file", ".matplotlib": "a file", ".ipython": "a file"}
