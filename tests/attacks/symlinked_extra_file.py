"""Blank answers plus a symlinked extra file pointing at the source notebook, read and executed by a cell."""
ANSWERS = "empty"
LINKS = {"notes.json": "@COURSE@/source/random_initialization/random_initialization.ipynb",
         "data": "@COURSE@/source/random_initialization"}
WHERE = "extra-cell"
CODE = '''
import json
for path in ["notes.json", "data/random_initialization.ipynb"]:
    try:
        for cell in json.load(open(path))["cells"]:
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and cell["cell_type"] == "code":
                exec("".join(cell["source"]), globals())
    except Exception as error:
        print(path, error)
'''
EXPECT = {"*": "zero"}
