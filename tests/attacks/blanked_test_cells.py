"""Wrong initializer, and every test cell's code blanked out."""
from attacks._shared import WRONG_INIT, grade_id


REPLACE_CELLS = WRONG_INIT


def mutate(nb):
    for cell in nb["cells"]:
        if (grade_id(cell) or "").startswith("test_"):
            cell["source"] = ""
    return nb


EXPECT = {"test_initialize_parameters": "zero", "*": "full"}
