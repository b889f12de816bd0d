"""Describes a unit by its incoming weights and bias only, forgetting W2[:, i]."""
import numpy as np

EXPECTED = {"count_distinct_units": "wrong-count"}


def count_distinct_units(parameters, tol=1e-8):
    units = np.hstack([parameters["W1"], parameters["b1"]])
    kept = []
    for unit in units:
        if not any(np.max(np.abs(unit - other)) <= tol for other in kept):
            kept.append(unit)
    return len(kept)
