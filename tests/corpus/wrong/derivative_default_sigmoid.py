"""Defaults to the sigmoid when no activation is given; the default is tanh."""
import numpy as np

EXPECTED = {"mean_activation_derivative": "wrong-default-activation"}


def mean_activation_derivative(W1, b1, X, activation="sigmoid"):
    Z = W1 @ X + b1
    if activation == "tanh":
        return float(np.mean(1 - np.tanh(Z) ** 2))
    if activation == "sigmoid":
        s = 1 / (1 + np.exp(-Z))
        return float(np.mean(s * (1 - s)))
    return float(np.mean(Z > 0))
