"""Caches the right A2 but returns Z2 in its place."""
import numpy as np

EXPECTED = {"forward_propagation": "inconsistent-output"}


def forward_propagation(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return Z2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
