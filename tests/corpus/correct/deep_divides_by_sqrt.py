"""Divides by sqrt(n^[l-1]) instead of multiplying by sqrt(1 / n^[l-1])."""
import numpy as np


def initialize_parameters_deep(layer_dims, method="xavier"):
    parameters = {}
    for l in range(1, len(layer_dims)):
        draw = np.random.randn(layer_dims[l], layer_dims[l - 1])
        if method == "small":
            W = draw * 0.01
        elif method == "xavier":
            W = draw / np.sqrt(layer_dims[l - 1])
        else:
            W = draw * np.sqrt(2) / np.sqrt(layer_dims[l - 1])
        parameters["W" + str(l)] = W
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
