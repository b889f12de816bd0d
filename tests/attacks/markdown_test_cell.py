"""Wrong initializer, and its test cell turned into a markdown cell."""
from attacks._shared import WRONG_INIT, grade_id


REPLACE_CELLS = WRONG_INIT


def mutate(nb):
    for cell in nb["cells"]:
        if grade_id(cell) == "test_initialize_parameters":
            cell["cell_type"] = "markdown"
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    return nb


EXPECT = {"test_initialize_parameters": "zero", "*": "full"}
