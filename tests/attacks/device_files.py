"""Correct answers beside a character device like /dev/zero and a symbolic link to /dev/zero: endless reads."""
DEVICES = {"zeros.npy": (1, 5)}
LINKS = {"data.bin": "/dev/zero"}
EXPECT = {"*": "full"}
REASON = "data.bin is a symbolic link"
REFUSED = "symlink"
