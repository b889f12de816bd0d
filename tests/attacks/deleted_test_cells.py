"""Wrong initializer, and the test cells of initialize_parameters and compute_cost deleted."""
WRONG_INIT = {"initialize_parameters": '''
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.zeros((n_h, n_x)), "b1": np.zeros((n_h, 1)), "W2": np.zeros((n_y, n_h)), "b2": np.zeros((n_y, 1))}
'''}


def grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


REPLACE_CELLS = WRONG_INIT


def mutate(nb):
    nb["cells"] = [c for c in nb["cells"] if grade_id(c) not in ("test_initialize_parameters", "test_compute_cost")]
    return nb


EXPECT = {"test_initialize_parameters": "zero", "*": "full"}
