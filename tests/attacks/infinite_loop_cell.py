"""Spin forever in a cell."""
WHERE = "extra-cell"
CODE = '''
while True:
    pass
'''
EXPECT = {"*": "any"}
