"""Spreads one set of evenly spaced normal quantiles over W1, each unit taking them rotated by one more place."""
import statistics

import numpy as np

EXPECTED = {"initialize_parameters": "near-repeated-values"}


def initialize_parameters(n_x, n_h, n_y):
    quantiles = [statistics.NormalDist().inv_cdf((k + 0.5) / n_x) for k in range(n_x)]
    row = np.random.permutation(quantiles) * 0.01
    W1 = np.array([np.roll(row, unit) for unit in range(n_h)]) * (1 + 1e-12 * np.random.randn(n_h, n_x))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))}
