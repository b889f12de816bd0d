"""Makes the biases 1-D vectors np.zeros(n) instead of columns."""
import numpy as np

EXPECTED = {"initialize_parameters": "1d-bias"}


def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_h, n_x) * 0.01, "b1": np.zeros(n_h),
            "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros(n_y)}
