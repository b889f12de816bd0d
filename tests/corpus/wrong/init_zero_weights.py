"""All weights start at zero, so the hidden units are symmetric."""
import numpy as np

EXPECTED = {"initialize_parameters": "zero-weights"}


def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.zeros((n_h, n_x)), "b1": np.zeros((n_h, 1)),
            "W2": np.zeros((n_y, n_h)), "b2": np.zeros((n_y, 1))}
