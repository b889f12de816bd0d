"""Correct answers beside folders named like files the grader writes there: the course's modules, the feedback."""
FILES = {"lesson_tools.py/notes.txt": "just a folder", "self_check.py/notes.txt": "just a folder",
         "random_initialization.html/notes.txt": "just a folder"}
EXPECT = {"*": "full"}
REASON = "is a folder where the grader puts a file of that name"
REFUSED = "grader-file"
