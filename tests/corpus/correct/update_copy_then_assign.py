"""Deep-copies the parameters, then assigns each updated array by name."""
import copy


def update_parameters(parameters, grads, learning_rate=1.2):
    W1, b1 = copy.deepcopy(parameters["W1"]), copy.deepcopy(parameters["b1"])
    W2, b2 = copy.deepcopy(parameters["W2"]), copy.deepcopy(parameters["b2"])
    W1 = W1 - learning_rate * grads["dW1"]
    b1 = b1 - learning_rate * grads["db1"]
    W2 = W2 - learning_rate * grads["dW2"]
    b2 = b2 - learning_rate * grads["db2"]
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
