"""Averages the activation g(Z) itself instead of g'(Z)."""
import numpy as np

EXPECTED = {"mean_activation_derivative": "derivative-of-activation"}


def mean_activation_derivative(W1, b1, X, activation="tanh"):
    Z = W1 @ X + b1
    g = {"tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.maximum(z, 0)}[activation]
    return float(np.mean(g(Z)))
