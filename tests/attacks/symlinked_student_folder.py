"""The student folder itself is a symbolic link to a classmate's student folder."""
STUDENT_LINK = "@COURSE@/submitted/a-honest"
EXPECT = {"*": "zero"}
REASON = "student folder"
REFUSED = "symlink"
