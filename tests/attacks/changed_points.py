"""The reference answers, with every graded cell worth 1000 points and the solution cells made graded too."""


def mutate(nb):
    for cell in nb["cells"]:
        nbgrader = cell.get("metadata", {}).get("nbgrader")
        if nbgrader and (nbgrader.get("grade") or nbgrader.get("solution")):
            nbgrader["grade"] = True
            nbgrader["points"] = 1000
    return nb


EXPECT = {"*": "full"}
