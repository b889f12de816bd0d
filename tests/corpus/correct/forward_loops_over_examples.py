"""Propagates one example (column) at a time with math.tanh and math.exp."""
import math

import numpy as np


def forward_propagation(X, parameters):
    W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]
    m = X.shape[1]
    Z1 = np.zeros((W1.shape[0], m))
    A1 = np.zeros_like(Z1)
    Z2 = np.zeros((W2.shape[0], m))
    A2 = np.zeros_like(Z2)
    for j in range(m):
        for i in range(W1.shape[0]):
            Z1[i, j] = sum(W1[i, k] * X[k, j] for k in range(X.shape[0])) + b1[i, 0]
            A1[i, j] = math.tanh(Z1[i, j])
        for i in range(W2.shape[0]):
            Z2[i, j] = sum(W2[i, k] * A1[k, j] for k in range(W1.shape[0])) + b2[i, 0]
            A2[i, j] = 1 / (1 + math.exp(-Z2[i, j]))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
