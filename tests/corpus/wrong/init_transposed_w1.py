"""Gives W1 the shape (n_x, n_h)."""
import numpy as np

EXPECTED = {"initialize_parameters": "transposed"}


def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_x, n_h) * 0.01, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))}
