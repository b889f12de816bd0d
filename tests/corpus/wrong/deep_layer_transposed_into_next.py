"""Starts each layer's weights with the previous layer's transposed, rescaled to the new layer's scale."""
import numpy as np

EXPECTED = {"initialize_parameters_deep": "correlated-draws"}


def initialize_parameters_deep(layer_dims, method="xavier"):
    parameters, previous = {}, None
    for l in range(1, len(layer_dims)):
        n_prev, n = layer_dims[l - 1], layer_dims[l]
        scale = {"small": 0.01, "xavier": np.sqrt(1 / n_prev), "he": np.sqrt(2 / n_prev)}[method]
        standard = np.random.randn(n * n_prev)
        if previous is not None:
            reused = previous.T.ravel()[:n * n_prev]
            standard[:reused.size] = reused * 1.001
        parameters[f"W{l}"] = standard.reshape(n, n_prev) * scale
        parameters[f"b{l}"] = np.zeros((n, 1))
        previous = standard.reshape(n, n_prev)
    return parameters
