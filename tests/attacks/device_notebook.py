"""A /dev/zero-like character device where the notebook should be."""
NOTEBOOK = None
DEVICES = {"random_initialization.ipynb": (1, 5)}
LINKS = {"timestamp.txt": "/dev/zero"}
EXPECT = {"*": "zero"}
REASON = "device"
REFUSED = "device"
