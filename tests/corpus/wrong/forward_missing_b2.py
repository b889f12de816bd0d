"""Forgets to add b2."""
import numpy as np

EXPECTED = {"forward_propagation": "missing-bias"}


def forward_propagation(X, parameters):
    W1, b1, W2 = parameters["W1"], parameters["b1"], parameters["W2"]
    Z1 = W1 @ X + b1
    A1 = np.tanh(Z1)
    Z2 = W2 @ A1
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
