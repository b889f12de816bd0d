"""Returns the tuple (W1, b1, W2, b2) instead of a dict."""
import numpy as np

EXPECTED = {"initialize_parameters": "not-a-dict"}


def initialize_parameters(n_x, n_h, n_y):
    return (np.random.randn(n_h, n_x) * 0.01, np.zeros((n_h, 1)),
            np.random.randn(n_y, n_h) * 0.01, np.zeros((n_y, 1)))
