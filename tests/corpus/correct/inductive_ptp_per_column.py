"""Measures each column's spread with np.ptp, returning numpy booleans."""
import numpy as np


def inductive_step(parameters, cache, grads, learning_rate, tol=1e-8):
    W1 = parameters["W1"] - learning_rate * grads["dW1"]
    b1 = parameters["b1"] - learning_rate * grads["db1"]
    W2 = parameters["W2"] - learning_rate * grads["dW2"]
    return {
        "A1": np.all(np.ptp(cache["A1"], axis=0) <= tol),
        "dW1": np.all(np.ptp(grads["dW1"], axis=0) <= tol),
        "dW2": np.all(np.ptp(grads["dW2"], axis=1) <= tol),
        "next": np.all(np.ptp(W1, axis=0) <= tol) and np.all(np.ptp(b1) <= tol) and np.all(np.ptp(W2, axis=1) <= tol),
    }
