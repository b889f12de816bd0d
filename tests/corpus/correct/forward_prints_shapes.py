"""Prints the shapes and writes a warning to stderr while computing."""
import sys
import warnings

import numpy as np


def forward_propagation(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    print("Z1", Z1.shape)
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    print("Z2", Z2.shape, file=sys.stderr)
    warnings.warn("debug output left in")
    A2 = 1 / (1 + np.exp(-Z2))
    assert A2.shape == (parameters["W2"].shape[0], X.shape[1])
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
