"""Stores X and the parameters in the cache as well, and builds it step by step."""
import numpy as np


def forward_propagation(X, parameters):
    cache = {"X": X, "parameters": parameters}
    cache["Z1"] = np.matmul(parameters["W1"], X) + parameters["b1"]
    cache["A1"] = np.tanh(cache["Z1"])
    cache["Z2"] = np.matmul(parameters["W2"], cache["A1"]) + parameters["b2"]
    cache["A2"] = 1 / (1 + np.exp(-cache["Z2"]))
    return cache["A2"], cache
