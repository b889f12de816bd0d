"""Draws uniformly on [-scale, scale] instead of from N(0, scale^2)."""
import numpy as np

EXPECTED = {"initialize_parameters_deep": "uniform-weights"}


def initialize_parameters_deep(layer_dims, method="xavier"):
    parameters = {}
    for l in range(1, len(layer_dims)):
        n_prev, n = layer_dims[l - 1], layer_dims[l]
        scale = {"small": 0.01, "xavier": np.sqrt(1 / n_prev), "he": np.sqrt(2 / n_prev)}[method]
        parameters[f"W{l}"] = np.random.uniform(-scale, scale, (n, n_prev))
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters
