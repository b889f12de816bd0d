"""Draws from a seeded Generator with normal(0, scale)."""
import math

import numpy as np


def initialize_parameters_deep(layer_dims, method="xavier"):
    rng = np.random.default_rng(1)
    parameters = {}
    for l, (n_prev, n) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
        scale = {"small": 0.01, "xavier": math.sqrt(1 / n_prev), "he": math.sqrt(2 / n_prev)}[method]
        parameters[f"W{l}"] = rng.normal(0, scale, size=(n, n_prev))
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters
