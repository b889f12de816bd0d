"""Builds every unit's incoming weights from 0.8 of one shared row of normal quantiles plus 0.6 of its own draws."""
import statistics

import numpy as np

EXPECTED = {"initialize_parameters": "near-copy-units"}


def initialize_parameters(n_x, n_h, n_y):
    shared = np.random.permutation([statistics.NormalDist().inv_cdf((k + 0.5) / n_x) for k in range(n_x)])
    W1 = (0.8 * shared + 0.6 * np.random.randn(n_h, n_x)) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))}
