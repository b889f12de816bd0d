"""Averages over the examples only, returning one value per hidden unit."""
import numpy as np

EXPECTED = {"mean_activation_derivative": "not-a-number"}


def mean_activation_derivative(W1, b1, X, activation="tanh"):
    Z = W1 @ X + b1
    derivative = {"tanh": lambda z: 1 - np.tanh(z) ** 2,
                  "sigmoid": lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
                  "relu": lambda z: (z > 0).astype(float)}[activation]
    return np.mean(derivative(Z), axis=1)
