"""Adds the gradient instead of subtracting it."""

EXPECTED = {"update_parameters": "gradient-ascent"}


def update_parameters(parameters, grads, learning_rate=1.2):
    return {key: parameters[key] + learning_rate * grads["d" + key] for key in ("W1", "b1", "W2", "b2")}
