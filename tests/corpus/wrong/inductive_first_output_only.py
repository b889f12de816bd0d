"""Looks only at the first output's weights, dW2[0] and W2[0], as if there were one output unit."""
import numpy as np

EXPECTED = {"inductive_step": "wrong-link"}


def inductive_step(parameters, cache, grads, learning_rate, tol=1e-8):
    def rows_equal(M):
        return bool(np.max(np.abs(M - M[:1])) <= tol)

    W1 = parameters["W1"] - learning_rate * grads["dW1"]
    b1 = parameters["b1"] - learning_rate * grads["db1"]
    w2 = parameters["W2"][:1] - learning_rate * grads["dW2"][:1]
    return {"A1": rows_equal(cache["A1"]), "dW1": rows_equal(grads["dW1"]), "dW2": rows_equal(grads["dW2"][:1].T),
            "next": rows_equal(np.hstack([W1, b1, w2.T]))}
