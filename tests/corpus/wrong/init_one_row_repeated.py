"""Draws one random row and copies it to every hidden unit."""
import numpy as np

EXPECTED = {"initialize_parameters": "repeated-rows"}


def initialize_parameters(n_x, n_h, n_y):
    row = np.random.randn(1, n_x) * 0.01
    return {"W1": np.tile(row, (n_h, 1)), "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))}
