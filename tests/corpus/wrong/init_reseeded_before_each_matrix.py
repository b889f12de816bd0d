"""Calls np.random.seed(1) before each matrix, so W2 starts with W1's numbers."""
import numpy as np

EXPECTED = {"initialize_parameters": "reused-draws"}


def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.01
    np.random.seed(1)
    W2 = np.random.randn(n_y, n_h) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
