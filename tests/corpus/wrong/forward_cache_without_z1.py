"""Keeps only the activations in the cache, dropping Z1 and Z2."""
import numpy as np

EXPECTED = {"forward_propagation": "missing-key"}


def forward_propagation(X, parameters):
    A1 = np.tanh(parameters["W1"] @ X + parameters["b1"])
    A2 = 1 / (1 + np.exp(-(parameters["W2"] @ A1 + parameters["b2"])))
    return A2, {"A1": A1, "A2": A2}
