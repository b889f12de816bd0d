"""Gives W2 the shape (n_h, n_y)."""
import numpy as np

EXPECTED = {"initialize_parameters": "transposed"}


def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_h, n_y) * 0.01, "b2": np.zeros((n_y, 1))}
