"""Every weight is the same small constant 0.01."""
import numpy as np

EXPECTED = {"initialize_parameters": "constant-weights"}


def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.full((n_h, n_x), 0.01), "b1": np.zeros((n_h, 1)),
            "W2": np.full((n_y, n_h), 0.01), "b2": np.zeros((n_y, 1))}
