"""Submit a symbolic link to the instructor's source notebook instead of a notebook."""
NOTEBOOK = None
LINKS = {"random_initialization.ipynb": "@COURSE@/source/random_initialization/random_initialization.ipynb"}
EXPECT = {"*": "zero"}
REASON = "symbolic link"
