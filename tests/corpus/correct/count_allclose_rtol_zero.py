"""Uses np.allclose with rtol=0 so that only the absolute tolerance applies."""
import numpy as np


def count_distinct_units(parameters, tol=1e-8):
    units = [np.r_[parameters["W1"][i], parameters["b1"][i], parameters["W2"][:, i]]
             for i in range(parameters["W1"].shape[0])]
    distinct = []
    for unit in units:
        if not any(np.allclose(unit, other, rtol=0, atol=tol) for other in distinct):
            distinct.append(unit)
    return len(distinct)
