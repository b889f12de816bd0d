"""Calls np.random.seed(0) before each layer, so every layer starts with the same numbers."""
import numpy as np

EXPECTED = {"initialize_parameters_deep": "reused-draws"}


def initialize_parameters_deep(layer_dims, method="xavier"):
    parameters = {}
    for l in range(1, len(layer_dims)):
        n_prev, n = layer_dims[l - 1], layer_dims[l]
        scale = {"small": 0.01, "xavier": np.sqrt(1 / n_prev), "he": np.sqrt(2 / n_prev)}[method]
        np.random.seed(0)
        parameters[f"W{l}"] = np.random.randn(n, n_prev) * scale
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters
