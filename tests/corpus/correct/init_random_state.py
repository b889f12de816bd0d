"""Draws from a legacy np.random.RandomState seeded inside the function."""
import numpy as np


def initialize_parameters(n_x, n_h, n_y):
    state = np.random.RandomState(42)
    return {
        "W1": state.randn(n_h, n_x) * 0.01,
        "b1": np.zeros((n_h, 1)),
        "W2": state.randn(n_y, n_h) * 0.01,
        "b2": np.zeros((n_y, 1)),
    }
