"""Keeps only the Y * log(A2) term."""
import numpy as np

EXPECTED = {"compute_cost": "cost-missing-term"}


def compute_cost(A2, Y):
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(A2)) / m)
