"""A correct submission whose output, errors, graded function and notes hold lone surrogates, which UTF-8 cannot encode."""
WHERE = "extra-cell"
CODE = '''
import sys
print("x\\udc80y")
print("\\ud800", file=sys.stderr)
class Surrogate\u00e9(Exception):
    pass
raise Surrogate\u00e9("\\udfff")
'''
APPEND_CELLS = {"compute_cost": '''
_honest_cost = compute_cost

def compute_cost(A2, Y):
    print("cost \\udc80")
    return _honest_cost(A2, Y)
'''}


def mutate(nb):
    nb["cells"].append({"cell_type": "markdown", "metadata": {"tags": ["\udc80"]}, "source": "a note \ud800"})
    return nb


EXPECT = {"*": "full"}
