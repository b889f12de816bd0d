"""Uses 1 - s**2 (tanh's form) as the sigmoid's derivative."""
import numpy as np

EXPECTED = {"mean_activation_derivative": "wrong-derivative"}


def mean_activation_derivative(W1, b1, X, activation="tanh"):
    Z = W1 @ X + b1
    if activation == "tanh":
        return float(np.mean(1 - np.tanh(Z) ** 2))
    if activation == "sigmoid":
        return float(np.mean(1 - (1 / (1 + np.exp(-Z))) ** 2))
    return float(np.mean(Z > 0))
