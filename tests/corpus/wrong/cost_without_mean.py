"""Sums the losses without dividing by m."""
import numpy as np

EXPECTED = {"compute_cost": "cost-missing-mean"}


def compute_cost(A2, Y):
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
