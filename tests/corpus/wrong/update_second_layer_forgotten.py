"""Updates W1 and b1 but returns W2 and b2 unchanged."""

EXPECTED = {"update_parameters": "not-updated"}


def update_parameters(parameters, grads, learning_rate=1.2):
    updated = dict(parameters)
    updated["W1"] = parameters["W1"] - learning_rate * grads["dW1"]
    updated["b1"] = parameters["b1"] - learning_rate * grads["db1"]
    return updated
