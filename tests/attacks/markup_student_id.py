"""Correct answers from a student whose id is HTML markup: refused by name before any page can print it."""
STUDENT = "b-<img src=x onerror=alert(1)> & co"
EXPECT = {"*": "any"}
# never a gradebook row (formgrader pages print ids unescaped); the grader's log says why and how to fix it
ID_REFUSED = "rename the folder to grade it"
