"""A valid notebook with no cells at all."""


def mutate(nb):
    nb["cells"] = []
    return nb


EXPECT = {"*": "zero"}
REASON = "No answer was found"
