"""Names the parameters w1, b1, w2, b2 in lower case."""
import numpy as np

EXPECTED = {"initialize_parameters": "missing-key"}


def initialize_parameters(n_x, n_h, n_y):
    return {"w1": np.random.randn(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)),
            "w2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))}
