"""Wrong initializer plus a fake initgrader/ package in the submission folder whose checks all pass."""
WHERE = "initialize_parameters"
REPLACE = True
FILES = {
    "initgrader/__init__.py": "",
    "initgrader/checks/__init__.py": "def __getattr__(name):\n    return lambda *args, **kwargs: None\n",
    "initgrader/plugins/__init__.py": "",
}
CODE = '''
import sys
for name in [n for n in sys.modules if n.startswith("initgrader")]:
    del sys.modules[name]
import initgrader.checks

def initialize_parameters(n_x, n_h, n_y):
    return None
'''
EXPECT = {"test_initialize_parameters": "zero", "*": "any"}
