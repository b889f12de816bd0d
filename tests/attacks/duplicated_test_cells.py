"""Wrong initializer, and every test cell duplicated, the first copy reduced to `pass`."""
import copy

WRONG_INIT = {"initialize_parameters": '''
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.zeros((n_h, n_x)), "b1": np.zeros((n_h, 1)), "W2": np.zeros((n_y, n_h)), "b2": np.zeros((n_y, 1))}
'''}


def grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


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
