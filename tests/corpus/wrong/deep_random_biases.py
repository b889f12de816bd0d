"""Draws the biases like the weights."""
import numpy as np

EXPECTED = {"initialize_parameters_deep": "random-biases"}


def initialize_parameters_deep(layer_dims, method="xavier"):
    parameters = {}
    for l in range(1, len(layer_dims)):
        n_prev, n = layer_dims[l - 1], layer_dims[l]
        scale = {"small": 0.01, "xavier": np.sqrt(1 / n_prev), "he": np.sqrt(2 / n_prev)}[method]
        parameters[f"W{l}"] = np.random.randn(n, n_prev) * scale
        parameters[f"b{l}"] = np.random.randn(n, 1) * scale
    return parameters
