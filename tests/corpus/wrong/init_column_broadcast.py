"""Draws one random column and broadcasts it across the inputs: each row is constant."""
import numpy as np

EXPECTED = {"initialize_parameters": "repeated-values"}


def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_h, 1) * 0.01 * np.ones((n_h, n_x))
    W2 = np.random.randn(n_y, 1) * 0.01 * np.ones((n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
