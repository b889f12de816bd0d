"""Exit the worker from a cell with os._exit(0)."""
WHERE = "extra-cell"
CODE = '''
import os
os._exit(0)
'''
EXPECT = {"*": "any"}
