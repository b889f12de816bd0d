"""Updates W1 and W2 but compares b1 as it was before the step, so an uneven db1 goes unseen."""
import numpy as np

EXPECTED = {"inductive_step": "wrong-link"}


def inductive_step(parameters, cache, grads, learning_rate, tol=1e-8):
    def rows_equal(M):
        return bool(np.max(np.abs(M - M[:1])) <= tol)

    W1 = parameters["W1"] - learning_rate * grads["dW1"]
    W2 = parameters["W2"] - learning_rate * grads["dW2"]
    return {"A1": rows_equal(cache["A1"]), "dW1": rows_equal(grads["dW1"]), "dW2": rows_equal(grads["dW2"].T),
            "next": rows_equal(np.hstack([W1, parameters["b1"], W2.T]))}
