"""A named pipe where the notebook should be, and another behind a symbolic link."""
NOTEBOOK = None
FIFOS = ["random_initialization.ipynb", "pipe"]
LINKS = {"answers.ipynb": "pipe"}
EXPECT = {"*": "zero"}
REASON = "named pipe"
REFUSED = "fifo"
