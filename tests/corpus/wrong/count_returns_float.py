"""Returns the count as a float (a sum of 1.0s)."""
import numpy as np

EXPECTED = {"count_distinct_units": "wrong-count"}


def count_distinct_units(parameters, tol=1e-8):
    units = np.hstack([parameters["W1"], parameters["b1"], parameters["W2"].T])
    count = 0.0
    for i, unit in enumerate(units):
        if not any(np.max(np.abs(unit - units[j])) <= tol for j in range(i)):
            count += 1.0
    return count
