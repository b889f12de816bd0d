"""Makes the last hidden unit the mirror image of the first: negated incoming and outgoing weights."""
import numpy as np

EXPECTED = {"initialize_parameters": "near-copy-units"}


def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_h, n_x) * 0.01
    W2 = np.random.randn(n_y, n_h) * 0.01
    if n_h > 1:
        W1[-1], W2[:, -1] = -W1[0], -W2[:, 0]
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
