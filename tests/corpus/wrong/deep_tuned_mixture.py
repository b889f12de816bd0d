"""Draws every layer from a two-bump mixture whose mean, spread and one-sigma share match the normal distribution."""
import numpy as np

EXPECTED = {"initialize_parameters_deep": "not-gaussian"}


def initialize_parameters_deep(layer_dims, method="xavier"):
    parameters = {}
    for l in range(1, len(layer_dims)):
        n_prev, n = layer_dims[l - 1], layer_dims[l]
        scale = {"small": 0.01, "xavier": np.sqrt(1 / n_prev), "he": np.sqrt(2 / n_prev)}[method]
        wide = np.random.rand(n, n_prev) < 0.5
        bumps = np.sign(np.random.rand(n, n_prev) - 0.5) * 0.5 + 0.1 * np.random.randn(n, n_prev)
        values = np.where(wide, 0.6 * np.random.randn(n, n_prev), bumps) / np.sqrt(0.31)
        parameters[f"W{l}"] = values * scale
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters
