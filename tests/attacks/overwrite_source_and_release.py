"""Overwrite, then delete, the source and release notebooks (baked absolute paths, then a filesystem search)."""
WHERE = "extra-cell"
CODE = '''
import os, time

targets = [f"@COURSE@/{kind}/random_initialization/{name}" for kind in ("source", "release")
           for name in ("random_initialization.ipynb", "lesson_tools.py")]
deadline = time.time() + 3
for root, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
    if os.path.basename(root) == "random_initialization" and os.path.basename(os.path.dirname(root)) in ("source", "release"):
        targets += [os.path.join(root, f) for f in files]
    if time.time() > deadline:
        break
for path in targets:
    try:
        with open(path, "w") as handle:
            handle.write('{"cells": []}')
        os.remove(path)
        print("destroyed", path)
    except Exception as error:
        print(path, type(error).__name__)
'''
EXPECT = {"*": "full"}
