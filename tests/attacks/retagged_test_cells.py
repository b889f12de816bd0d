"""Wrong initializer and forward pass; their test cells lose their nbgrader metadata or get a new grade_id."""
from attacks._shared import WRONG_INIT, grade_id


REPLACE_CELLS = dict(WRONG_INIT, forward_propagation='''
def forward_propagation(X, parameters):
    return None, {}
''')


def mutate(nb):
    for cell in nb["cells"]:
        if grade_id(cell) == "test_initialize_parameters":
            del cell["metadata"]["nbgrader"]
        elif grade_id(cell) == "test_forward_propagation":
            cell["metadata"]["nbgrader"]["grade_id"] = "my_own_cell"
            cell["source"] = "pass"
    return nb


EXPECT = {"test_initialize_parameters": "zero", "test_forward_propagation": "zero", "*": "full"}
