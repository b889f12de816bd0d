"""Submit a hard link to the instructor's source notebook as the notebook: solutions, hidden tests and mark scheme."""
NOTEBOOK = None
HARD_LINKS = {"random_initialization.ipynb": "@COURSE@/source/random_initialization/random_initialization.ipynb"}
EXPECT = {"*": "zero"}
REASON = "hard link"
REFUSED = "hardlink"
