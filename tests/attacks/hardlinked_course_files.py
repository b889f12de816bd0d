"""Blank answers plus hard links to the source notebook and the course's config, read and executed by a cell."""
ANSWERS = "empty"
HARD_LINKS = {"notes.json": "@COURSE@/source/random_initialization/random_initialization.ipynb",
              "data/config.py": "@COURSE@/nbgrader_config.py"}
WHERE = "extra-cell"
CODE = '''
import json
try:
    for cell in json.load(open("notes.json"))["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and cell["cell_type"] == "code":
            exec("".join(cell["source"]), globals())
except Exception as error:
    print(error)
'''
EXPECT = {"*": "zero"}
REASON = "notes.json is a hard link"
REFUSED = "hardlink"
