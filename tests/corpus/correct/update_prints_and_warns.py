"""Prints the learning rate and emits a warning on every call."""
import warnings


def update_parameters(parameters, grads, learning_rate=1.2):
    print(f"learning rate {learning_rate}")
    warnings.warn("gradient step taken", RuntimeWarning)
    return {key: parameters[key] - learning_rate * grads["d" + key] for key in ("W1", "b1", "W2", "b2")}
