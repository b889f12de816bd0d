"""Returns A2 alone, without the cache."""
import numpy as np

EXPECTED = {"forward_propagation": "not-a-pair"}


def forward_propagation(X, parameters):
    A1 = np.tanh(parameters["W1"] @ X + parameters["b1"])
    return 1 / (1 + np.exp(-(parameters["W2"] @ A1 + parameters["b2"])))
