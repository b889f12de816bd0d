"""Pieces several attacks plant: a wrong initializer, and reading a cell's grade id from raw JSON."""
WRONG_INIT = {"initialize_parameters": '''
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.zeros((n_h, n_x)), "b1": np.zeros((n_h, 1)), "W2": np.zeros((n_y, n_h)), "b2": np.zeros((n_y, 1))}
'''}


def grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
