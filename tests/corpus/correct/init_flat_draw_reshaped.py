"""Draws all weights in one flat vector and reshapes slices of it."""
import numpy as np


def initialize_parameters(n_x, n_h, n_y):
    flat = np.random.randn(n_h * n_x + n_y * n_h) * 0.01
    W1 = flat[: n_h * n_x].reshape(n_h, n_x)
    W2 = flat[n_h * n_x:].reshape(n_y, n_h)
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
