"""Kill every process it may signal from a cell: os.kill(-1, 9)."""
WHERE = "extra-cell"
CODE = '''
import os
os.kill(-1, 9)
'''
EXPECT = {"*": "any"}
