"""Returns the (1, 1) array that the dot products give, without squeezing it."""
import numpy as np

EXPECTED = {"compute_cost": "cost-not-scalar"}


def compute_cost(A2, Y):
    m = Y.shape[1]
    return -(np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T)) / m
