"""Counts exactly distinct rows with np.unique, ignoring the tolerance."""
import numpy as np

EXPECTED = {"count_distinct_units": "wrong-count"}


def count_distinct_units(parameters, tol=1e-8):
    units = np.hstack([parameters["W1"], parameters["b1"], parameters["W2"].T])
    return len(np.unique(units, axis=0))
