"""Gives each unit outgoing weights copied from another unit's incoming weights, with a random sign and a 0.1% change."""
import numpy as np

EXPECTED = {"initialize_parameters": "dependent-vectors"}


def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_h, n_x) * 0.01
    donors = W1[np.random.permutation(n_h)].T * np.random.choice([-1.0, 1.0], size=n_h)
    W2 = np.resize(donors, (n_y, n_h)) * 0.99 * (1 + 1e-3 * np.random.randn(n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
