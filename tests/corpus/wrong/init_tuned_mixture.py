"""Draws from a two-bump mixture rescaled so the mean, the spread and the one-sigma share all match N(0, 0.01^2)."""
import numpy as np

EXPECTED = {"initialize_parameters": "not-gaussian"}


def mixture(shape):
    # half the draws near -0.5, half near +0.5 (spread 0.1), the other half wide (spread 0.6): 68% within one sigma
    n = int(np.prod(shape))
    wide = np.random.rand(n) < 0.5
    values = np.where(wide, 0.6 * np.random.randn(n), np.sign(np.random.rand(n) - 0.5) * 0.5 + 0.1 * np.random.randn(n))
    return (values / np.sqrt(0.5 * 0.36 + 0.5 * 0.26) * 0.01).reshape(shape)


def initialize_parameters(n_x, n_h, n_y):
    return {"W1": mixture((n_h, n_x)), "b1": np.zeros((n_h, 1)), "W2": mixture((n_y, n_h)), "b2": np.zeros((n_y, 1))}
