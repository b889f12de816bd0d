"""Always uses Xavier scaling, whatever method is asked for."""
import numpy as np

EXPECTED = {"initialize_parameters_deep": "wrong-scale"}


def initialize_parameters_deep(layer_dims, method="xavier"):
    parameters = {}
    for l in range(1, len(layer_dims)):
        n_prev, n = layer_dims[l - 1], layer_dims[l]
        scale = np.sqrt(1 / n_prev)
        parameters[f"W{l}"] = np.random.randn(n, n_prev) * scale
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters
