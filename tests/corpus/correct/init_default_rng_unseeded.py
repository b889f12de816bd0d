"""Draws with Generator.normal from an unseeded default_rng."""
import numpy as np


def initialize_parameters(n_x, n_h, n_y):
    rng = np.random.default_rng()
    W1 = rng.normal(0, 0.01, size=(n_h, n_x))
    W2 = rng.normal(0, 0.01, size=(n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
