"""Forgets to add b1."""
import numpy as np

EXPECTED = {"forward_propagation": "missing-bias"}


def forward_propagation(X, parameters):
    W1, W2, b2 = parameters["W1"], parameters["W2"], parameters["b2"]
    Z1 = W1 @ X
    A1 = np.tanh(Z1)
    Z2 = W2 @ A1 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
