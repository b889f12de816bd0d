"""Updates the arrays in place and forgets to return them."""

EXPECTED = {"update_parameters": "returned-none"}


def update_parameters(parameters, grads, learning_rate=1.2):
    for key in ("W1", "b1", "W2", "b2"):
        parameters[key] -= learning_rate * grads["d" + key]
