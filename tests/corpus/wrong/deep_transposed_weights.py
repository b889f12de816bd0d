"""Gives W^[l] the shape (n^[l-1], n^[l])."""
import numpy as np

EXPECTED = {"initialize_parameters_deep": "transposed"}


def initialize_parameters_deep(layer_dims, method="xavier"):
    parameters = {}
    for l in range(1, len(layer_dims)):
        n_prev, n = layer_dims[l - 1], layer_dims[l]
        scale = {"small": 0.01, "xavier": np.sqrt(1 / n_prev), "he": np.sqrt(2 / n_prev)}[method]
        parameters[f"W{l}"] = np.random.randn(n_prev, n) * scale
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters
