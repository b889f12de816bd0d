"""Uses np.random.rand (uniform on [0, 1)) instead of np.random.randn."""
import numpy as np

EXPECTED = {"initialize_parameters": "uniform-weights"}


def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.rand(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)),
            "W2": np.random.rand(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))}
