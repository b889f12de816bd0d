"""Compares every row with the first using np.allclose(rtol=0, atol=tol)."""
import numpy as np


def inductive_step(parameters, cache, grads, learning_rate, tol=1e-8):
    def rows_equal(M):
        return bool(np.allclose(M, M[0:1, :], rtol=0, atol=tol))

    new = {key: parameters[key] - learning_rate * grads["d" + key] for key in ("W1", "b1", "W2", "b2")}
    units = np.hstack([new["W1"], new["b1"], new["W2"].T])
    return {"A1": rows_equal(cache["A1"]), "dW1": rows_equal(grads["dW1"]),
            "dW2": rows_equal(grads["dW2"].T), "next": rows_equal(units)}
