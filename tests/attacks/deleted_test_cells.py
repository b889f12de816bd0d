"""Wrong initializer, and the test cells of initialize_parameters and compute_cost deleted."""
from attacks._shared import WRONG_INIT, grade_id


REPLACE_CELLS = WRONG_INIT


def mutate(nb):
    nb["cells"] = [c for c in nb["cells"] if grade_id(c) not in ("test_initialize_parameters", "test_compute_cost")]
    return nb


EXPECT = {"test_initialize_parameters": "zero", "*": "full"}
