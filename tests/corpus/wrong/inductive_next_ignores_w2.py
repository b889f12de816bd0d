"""Decides "next" from W1 and b1 after the update, forgetting that W2[:, i] is part of unit i."""
import numpy as np

EXPECTED = {"inductive_step": "wrong-link"}


def inductive_step(parameters, cache, grads, learning_rate, tol=1e-8):
    def rows_equal(M):
        return bool(np.max(np.abs(M - M[:1])) <= tol)

    W1 = parameters["W1"] - learning_rate * grads["dW1"]
    b1 = parameters["b1"] - learning_rate * grads["db1"]
    return {"A1": rows_equal(cache["A1"]), "dW1": rows_equal(grads["dW1"]), "dW2": rows_equal(grads["dW2"].T),
            "next": rows_equal(np.hstack([W1, b1]))}
