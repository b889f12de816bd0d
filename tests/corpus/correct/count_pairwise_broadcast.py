"""Vectorised: a pairwise max-abs-difference matrix, then units with no earlier twin."""
import numpy as np


def count_distinct_units(parameters, tol=1e-8):
    units = np.concatenate([parameters["W1"], parameters["b1"], parameters["W2"].T], axis=1)
    same = np.max(np.abs(units[:, None, :] - units[None, :, :]), axis=2) <= tol
    has_earlier_twin = np.tril(same, k=-1).any(axis=1)
    return int(np.sum(~has_earlier_twin))
