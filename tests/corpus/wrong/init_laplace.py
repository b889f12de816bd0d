"""Draws from a Laplace distribution with standard deviation 0.01 instead of a normal one."""
import numpy as np

EXPECTED = {"initialize_parameters": "not-gaussian"}


def initialize_parameters(n_x, n_h, n_y):
    scale = 0.01 / np.sqrt(2)
    return {"W1": np.random.laplace(0, scale, (n_h, n_x)), "b1": np.zeros((n_h, 1)),
            "W2": np.random.laplace(0, scale, (n_y, n_h)), "b2": np.zeros((n_y, 1))}
