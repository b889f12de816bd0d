"""Kill the sandbox's parent process from a cell: os.kill(os.getppid(), 9)."""
WHERE = "extra-cell"
CODE = '''
import os
os.kill(os.getppid(), 9)
'''
EXPECT = {"*": "any"}
