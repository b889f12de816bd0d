"""Decides "next" by counting the distinct units of the updated network, via a nested helper."""
import numpy as np


def inductive_step(parameters, cache, grads, learning_rate, tol=1e-8):
    def distinct(units):
        kept = []
        for unit in units:
            if all(np.max(np.abs(unit - other)) > tol for other in kept):
                kept.append(unit)
        return len(kept)

    updated = {}
    for key in parameters:
        updated[key] = parameters[key] - learning_rate * grads["d" + key]
    units = np.hstack([updated["W1"], updated["b1"], updated["W2"].T])
    return {"A1": distinct(cache["A1"]) == 1, "dW1": distinct(grads["dW1"]) == 1,
            "dW2": distinct(grads["dW2"].T) == 1, "next": distinct(units) == 1}
