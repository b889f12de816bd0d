"""Wrong initializer, and every test cell duplicated, the first copy reduced to `pass`."""
import copy

from attacks._shared import WRONG_INIT, grade_id


REPLACE_CELLS = WRONG_INIT


def mutate(nb):
    cells = []
    for cell in nb["cells"]:
        if (grade_id(cell) or "").startswith("test_"):
            fake = copy.deepcopy(cell)
            fake["source"] = "pass"
            cells.append(fake)
        cells.append(cell)
    nb["cells"] = cells
    return nb


EXPECT = {"test_initialize_parameters": "zero", "*": "full"}
