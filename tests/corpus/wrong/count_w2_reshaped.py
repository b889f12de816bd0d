"""Turns W2 into one row per unit with reshape instead of a transpose, which mixes the outputs' weights up."""
import numpy as np

EXPECTED = {"count_distinct_units": "wrong-count"}


def count_distinct_units(parameters, tol=1e-8):
    n_h = parameters["W1"].shape[0]
    units = np.hstack([parameters["W1"], parameters["b1"], parameters["W2"].reshape(n_h, -1)])
    kept = []
    for unit in units:
        if not any(np.max(np.abs(unit - other)) <= tol for other in kept):
            kept.append(unit)
    return len(kept)
