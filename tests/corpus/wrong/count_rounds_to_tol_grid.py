"""Rounds every entry to a multiple of tol and counts unique rows: units straddling a grid line split."""
import numpy as np

EXPECTED = {"count_distinct_units": "wrong-count"}


def count_distinct_units(parameters, tol=1e-8):
    units = np.hstack([parameters["W1"], parameters["b1"], parameters["W2"].T])
    return len(np.unique(np.round(units / tol), axis=0))
