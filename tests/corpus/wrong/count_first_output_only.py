"""Describes a unit's outgoing weights by W2[0, i] only, missing the other outputs' weights in W2[:, i]."""
import numpy as np

EXPECTED = {"count_distinct_units": "wrong-count"}


def count_distinct_units(parameters, tol=1e-8):
    units = np.hstack([parameters["W1"], parameters["b1"], parameters["W2"][:1].T])
    kept = []
    for unit in units:
        if not any(np.max(np.abs(unit - other)) <= tol for other in kept):
            kept.append(unit)
    return len(kept)
