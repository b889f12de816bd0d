"""Kill the whole process group from a cell: os.killpg(0, 9)."""
WHERE = "extra-cell"
CODE = '''
import os
os.killpg(0, 9)
'''
EXPECT = {"*": "any"}
