"""Uses Xavier scaling sqrt(1 / n_in) where the shallow network asks for 0.01."""
import numpy as np

EXPECTED = {"initialize_parameters": "xavier-in-shallow"}


def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_h, n_x) * np.sqrt(1 / n_x), "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h) * np.sqrt(1 / n_h), "b2": np.zeros((n_y, 1))}
