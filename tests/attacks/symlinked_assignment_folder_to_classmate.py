"""The assignment folder is a relative symbolic link to a classmate's submission."""
ASSIGNMENT_LINK = "../z-honest/random_initialization"
EXPECT = {"*": "zero"}
REASON = "is a symbolic link"
REFUSED = "symlink"
