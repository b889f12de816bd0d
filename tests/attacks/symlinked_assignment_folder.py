"""The assignment folder itself is a symbolic link to the instructor's source folder."""
ASSIGNMENT_LINK = "@COURSE@/source/random_initialization"
EXPECT = {"*": "zero"}
REASON = "assignment folder"
REFUSED = "symlink"
