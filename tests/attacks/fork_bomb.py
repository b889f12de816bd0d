"""Fork until the process limit, forever, from a cell."""
WHERE = "extra-cell"
CODE = '''
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
'''
EXPECT = {"*": "any"}
