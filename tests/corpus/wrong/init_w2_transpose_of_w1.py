"""Fills W2 with W1's transpose, rescaled by 1.002 and jittered by 1e-12, instead of drawing it."""
import numpy as np

EXPECTED = {"initialize_parameters": "correlated-draws"}


def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_h, n_x) * 0.01
    W2 = np.resize(W1.T, (n_y, n_h)) * 1.002 + 1e-12 * np.random.randn(n_y, n_h)
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
