"""Steps with a hard-coded 1.2 whatever learning_rate is passed."""

EXPECTED = {"update_parameters": "ignores-learning-rate"}


def update_parameters(parameters, grads, learning_rate=1.2):
    return {key: parameters[key] - 1.2 * grads["d" + key] for key in ("W1", "b1", "W2", "b2")}
