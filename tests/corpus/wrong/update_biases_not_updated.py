"""Updates the weights and copies the biases unchanged."""

EXPECTED = {"update_parameters": "bias-not-updated"}


def update_parameters(parameters, grads, learning_rate=1.2):
    return {"W1": parameters["W1"] - learning_rate * grads["dW1"], "b1": parameters["b1"],
            "W2": parameters["W2"] - learning_rate * grads["dW2"], "b2": parameters["b2"]}
