"""Stores examples as rows (X.T @ W1.T), so every cached array is transposed."""
import numpy as np

EXPECTED = {"forward_propagation": "transposed"}


def forward_propagation(X, parameters):
    Z1 = X.T @ parameters["W1"].T + parameters["b1"].T
    A1 = np.tanh(Z1)
    Z2 = A1 @ parameters["W2"].T + parameters["b2"].T
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
