"""Shuffles W1's numbers into W2, negated and rescaled by 0.997, with a relative 1e-7 change to each."""
import numpy as np

EXPECTED = {"initialize_parameters": "copied-distribution"}


def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_h, n_x) * 0.01
    flat = np.random.permutation(np.resize(W1.ravel(), n_y * n_h))
    W2 = -0.997 * flat.reshape(n_y, n_h) * (1 + 1e-7 * np.random.randn(n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
