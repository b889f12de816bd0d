"""Makes W2 W1's numbers reversed and shifted by 17 places, negated, so no entry lines up with its source."""
import numpy as np

EXPECTED = {"initialize_parameters": "correlated-draws"}


def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_h, n_x) * 0.01
    flat = -np.roll(W1.ravel()[::-1], 17)
    W2 = np.resize(flat, (n_y, n_h)) * (1 + 1e-9 * np.random.randn(n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
