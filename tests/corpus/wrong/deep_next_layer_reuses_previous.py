"""Fills each layer after the first with the previous layer's numbers, shuffled and scaled by 1.002, topping up with fresh draws."""
import numpy as np

EXPECTED = {"initialize_parameters_deep": "shared-values"}


def initialize_parameters_deep(layer_dims, method="xavier"):
    parameters, previous = {}, np.zeros(0)
    for l in range(1, len(layer_dims)):
        n_prev, n = layer_dims[l - 1], layer_dims[l]
        scale = {"small": 0.01, "xavier": np.sqrt(1 / n_prev), "he": np.sqrt(2 / n_prev)}[method]
        standard = np.random.permutation(np.concatenate([1.002 * previous, np.random.randn(n * n_prev)])[:n * n_prev])
        parameters[f"W{l}"] = standard.reshape(n, n_prev) * scale
        parameters[f"b{l}"] = np.zeros((n, 1))
        previous = standard
    return parameters
