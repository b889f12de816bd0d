"""Compares with a hard-coded 1e-8 instead of the tol passed in."""
import numpy as np

EXPECTED = {"count_distinct_units": "wrong-count"}


def count_distinct_units(parameters, tol=1e-8):
    units = np.hstack([parameters["W1"], parameters["b1"], parameters["W2"].T])
    kept = []
    for unit in units:
        if not any(np.max(np.abs(unit - other)) <= 1e-8 for other in kept):
            kept.append(unit)
    return len(kept)
