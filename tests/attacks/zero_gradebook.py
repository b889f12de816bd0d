"""Open the course's gradebook.db with sqlite3 (baked path, then a filesystem search) and zero every grade."""
WHERE = "extra-cell"
CODE = '''
import os, sqlite3, time

paths = ["@COURSE@/gradebook.db", "../../gradebook.db", "../../../gradebook.db"]
deadline = time.time() + 3
for root, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
    paths += [os.path.join(root, f) for f in files if f.endswith(".db")]
    if time.time() > deadline:
        break
for path in paths:
    try:
        db = sqlite3.connect(path)
        db.execute("UPDATE grade SET auto_score = 0, manual_score = 0")
        db.execute("UPDATE grade_cells SET max_score = 1000")
        db.commit()
        print("zeroed", path)
    except Exception as error:
        print(path, type(error).__name__)
'''
EXPECT = {"*": "full"}
