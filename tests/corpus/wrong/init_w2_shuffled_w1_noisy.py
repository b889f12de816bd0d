"""Shuffles W1's numbers into W2 and adds noise of 1e-5 of their scale: a rearranged copy, not new draws."""
import numpy as np

EXPECTED = {"initialize_parameters": "copied-distribution"}


def initialize_parameters(n_x, n_h, n_y):
    rng = np.random.default_rng()
    W1 = rng.standard_normal((n_h, n_x)) * 0.01
    W2 = rng.permutation(np.resize(W1.ravel(), n_y * n_h)).reshape(n_y, n_h) + 1e-7 * rng.standard_normal((n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
