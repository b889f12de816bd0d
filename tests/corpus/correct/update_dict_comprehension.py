"""Builds a new dict with a comprehension over the parameter names."""


def update_parameters(parameters, grads, learning_rate=1.2):
    return {name: value - learning_rate * grads["d" + name] for name, value in parameters.items()}
