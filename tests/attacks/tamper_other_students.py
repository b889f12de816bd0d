"""Write wrong answers into other students' submitted/ and autograded/ folders (baked paths, then a search)."""
WHERE = "extra-cell"
CODE = '''
import glob, os, time

folders = [f"@COURSE@/{kind}/{student}/random_initialization" for kind in ("submitted", "autograded")
           for student in ("a-honest", "m-honest", "z-honest")]
folders += glob.glob("../../*/random_initialization") + glob.glob("../*")
deadline = time.time() + 3
for root, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
    if os.path.basename(root) in ("submitted", "autograded"):
        folders += [os.path.join(root, d, "random_initialization") for d in dirs]
    if time.time() > deadline:
        break
for folder in folders:
    for name in ("random_initialization.ipynb", "timestamp.txt", "lesson_tools.py"):
        try:
            with open(os.path.join(folder, name), "w") as handle:
                handle.write("tampered")
            print("tampered", folder, name)
        except Exception as error:
            pass
'''
EXPECT = {"*": "full"}
