"""Writes tanh' as 1 / cosh(Z)**2 and the sigmoid with np.exp."""
import numpy as np


def mean_activation_derivative(W1, b1, X, activation="tanh"):
    Z = W1 @ X + b1
    if activation == "tanh":
        derivative = 1 / np.cosh(Z) ** 2
    elif activation == "sigmoid":
        s = 1 / (1 + np.exp(-Z))
        derivative = s * (1 - s)
    elif activation == "relu":
        derivative = np.where(Z > 0, 1.0, 0.0)
    else:
        raise ValueError(f"unknown activation {activation!r}")
    return float(derivative.mean())
