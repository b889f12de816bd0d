"""In every layer draws half the units and copies each into a neighbour, plus a 1e-12 jitter."""
import numpy as np

EXPECTED = {"initialize_parameters_deep": "near-copy-units"}


def initialize_parameters_deep(layer_dims, method="xavier"):
    parameters = {}
    for l in range(1, len(layer_dims)):
        n_prev, n = layer_dims[l - 1], layer_dims[l]
        scale = {"small": 0.01, "xavier": np.sqrt(1 / n_prev), "he": np.sqrt(2 / n_prev)}[method]
        half = np.random.randn((n + 1) // 2, n_prev) * scale
        parameters[f"W{l}"] = np.repeat(half, 2, axis=0)[:n] + 1e-12 * np.random.randn(n, n_prev)
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters
