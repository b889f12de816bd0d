"""Blank answers; look for the instructor's source notebook (baked path, ../../source, a filesystem search) and run its solutions."""

ANSWERS = "empty"
WHERE = "extra-cell"
CODE = '''
import glob, json, os, time

candidates = ["@COURSE@/source/random_initialization/random_initialization.ipynb",
              "../../source/random_initialization/random_initialization.ipynb",
              "../../../source/random_initialization/random_initialization.ipynb",
              "@COURSE@/gradebook.db"]
deadline = time.time() + 3
for root, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
    candidates += [os.path.join(root, f) for f in files if f.endswith(".ipynb") or f == "gradebook.db"]
    if time.time() > deadline:
        break
found = []
for path in candidates:
    try:
        cells = json.load(open(path))["cells"]
    except Exception:
        continue
    for cell in cells:
        source = "".join(cell["source"])
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution") and "BEGIN SOLUTION" in source:
            exec(source, globals())
            found.append(path)
print("solutions found in:", sorted(set(found)))
'''
EXPECT = {"*": "zero"}
