"""Uses Glorot's sqrt(2 / (n^[l-1] + n^[l])) for "xavier" instead of sqrt(1 / n^[l-1])."""
import numpy as np

EXPECTED = {"initialize_parameters_deep": "wrong-scale"}


def initialize_parameters_deep(layer_dims, method="xavier"):
    parameters = {}
    for l in range(1, len(layer_dims)):
        n_prev, n = layer_dims[l - 1], layer_dims[l]
        scale = {"small": 0.01, "xavier": np.sqrt(2 / (n_prev + n)), "he": np.sqrt(2 / n_prev)}[method]
        parameters[f"W{l}"] = np.random.randn(n, n_prev) * scale
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters
