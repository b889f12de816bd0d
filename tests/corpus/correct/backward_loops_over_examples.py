"""Accumulates per-example gradients (outer products) in a loop."""
import numpy as np


def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    grads = {"d" + key: np.zeros_like(value, dtype=float) for key, value in parameters.items()}
    for j in range(m):
        x, a1 = X[:, j:j + 1], cache["A1"][:, j:j + 1]
        dz2 = cache["A2"][:, j:j + 1] - Y[:, j:j + 1]
        dz1 = parameters["W2"].T @ dz2 * (1 - a1 ** 2)
        grads["dW2"] += dz2 @ a1.T / m
        grads["db2"] += dz2 / m
        grads["dW1"] += dz1 @ x.T / m
        grads["db1"] += dz1 / m
    return grads
