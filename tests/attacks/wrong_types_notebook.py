"""A notebook whose cells are an object and whose metadata is a list."""


def mutate(nb):
    nb["cells"] = {str(i): cell for i, cell in enumerate(nb["cells"])}
    nb["metadata"] = ["kernelspec"]
    return nb


EXPECT = {"*": "zero"}
REASON = "no list of cells"
