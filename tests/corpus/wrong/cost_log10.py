"""Takes base-10 logarithms."""
import numpy as np

EXPECTED = {"compute_cost": "wrong-value"}


def compute_cost(A2, Y):
    m = Y.shape[1]
    return float(-np.sum(Y * np.log10(A2) + (1 - Y) * np.log10(1 - A2)) / m)
