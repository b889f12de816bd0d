"""Adds 0.01 to the draws, so the weights are centred at 0.01 instead of 0."""
import numpy as np

EXPECTED = {"initialize_parameters": "not-centred"}


def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_h, n_x) * 0.01 + 0.01, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h) * 0.01 + 0.01, "b2": np.zeros((n_y, 1))}
