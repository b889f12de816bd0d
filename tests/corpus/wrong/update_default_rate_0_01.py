"""Declares learning_rate=0.01 as the default instead of 1.2."""

EXPECTED = {"update_parameters": "wrong-default-rate"}


def update_parameters(parameters, grads, learning_rate=0.01):
    return {key: parameters[key] - learning_rate * grads["d" + key] for key in ("W1", "b1", "W2", "b2")}
