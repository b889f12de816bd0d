"""Looks the derivative up in a dict of lambdas; relu' is np.heaviside(Z, 0)."""
import numpy as np


def mean_activation_derivative(W1, b1, X, activation="tanh"):
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    derivatives = {
        "tanh": lambda z: 1 - np.tanh(z) ** 2,
        "sigmoid": lambda z: sigmoid(z) * (1 - sigmoid(z)),
        "relu": lambda z: np.heaviside(z, 0),
    }
    return np.mean(derivatives[activation](np.dot(W1, X) + b1))
