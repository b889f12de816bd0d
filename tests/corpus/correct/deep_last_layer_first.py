"""Fills the layers from the last to the first with np.random.normal."""
import numpy as np


def initialize_parameters_deep(layer_dims, method="xavier"):
    gain = {"small": None, "xavier": 1.0, "he": 2.0}[method]
    parameters = {}
    for l in reversed(range(1, len(layer_dims))):
        std = 0.01 if gain is None else np.sqrt(gain / layer_dims[l - 1])
        parameters["W%d" % l] = np.random.normal(0.0, std, (layer_dims[l], layer_dims[l - 1]))
        parameters["b%d" % l] = np.zeros((layer_dims[l], 1))
    return parameters
