"""Copies unit 0 into unit 1 and multiplies it by 1 + 0.001 noise, a slightly different but near-identical unit."""
import numpy as np

EXPECTED = {"initialize_parameters": "near-copy-units"}


def initialize_parameters(n_x, n_h, n_y):
    rng = np.random.default_rng()
    W1 = rng.normal(0, 0.01, (n_h, n_x))
    W2 = rng.normal(0, 0.01, (n_y, n_h))
    if n_h > 1:
        W1[1] = W1[0] * (1 + 0.001 * rng.standard_normal(n_x))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
