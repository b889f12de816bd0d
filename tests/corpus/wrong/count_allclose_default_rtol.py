"""Uses np.allclose(atol=tol) but keeps its default rtol=1e-5, so units 1e-6 apart count as one."""
import numpy as np

EXPECTED = {"count_distinct_units": "wrong-count"}


def count_distinct_units(parameters, tol=1e-8):
    units = np.hstack([parameters["W1"], parameters["b1"], parameters["W2"].T])
    kept = []
    for unit in units:
        if not any(np.allclose(unit, other, atol=tol) for other in kept):
            kept.append(unit)
    return len(kept)
