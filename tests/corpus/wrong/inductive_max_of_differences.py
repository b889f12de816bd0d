"""Compares neighbouring rows with np.max(np.diff(...)), which has nothing to compare when there is a single hidden unit."""
import numpy as np

EXPECTED = {"inductive_step": "raised"}


def inductive_step(parameters, cache, grads, learning_rate, tol=1e-8):
    def rows_equal(M):
        return bool(np.max(np.abs(np.diff(M, axis=0))) <= tol)

    new = {key: parameters[key] - learning_rate * grads["d" + key] for key in ("W1", "b1", "W2")}
    return {"A1": rows_equal(cache["A1"]), "dW1": rows_equal(grads["dW1"]), "dW2": rows_equal(grads["dW2"].T),
            "next": rows_equal(np.hstack([new["W1"], new["b1"], new["W2"].T]))}
