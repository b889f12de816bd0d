"""Takes a random 60% of W2's entries from W1's numbers (times 1.004) and draws only the rest afresh."""
import numpy as np

EXPECTED = {"initialize_parameters": "shared-values"}


def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_h, n_x) * 0.01
    fresh = np.random.randn(n_y, n_h) * 0.01
    reused = 1.004 * np.random.choice(W1.ravel(), size=(n_y, n_h), replace=n_y * n_h > W1.size)
    W2 = np.where(np.random.rand(n_y, n_h) < 0.6, reused, fresh)
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
