"""Computes the products with np.einsum and a numerically stable sigmoid."""
import numpy as np


def forward_propagation(X, parameters):
    Z1 = np.einsum("hx,xm->hm", parameters["W1"], X) + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.einsum("yh,hm->ym", parameters["W2"], A1) + parameters["b2"]
    # exp of a non-positive number never overflows
    A2 = np.where(Z2 >= 0, 1 / (1 + np.exp(-np.abs(Z2))), np.exp(-np.abs(Z2)) / (1 + np.exp(-np.abs(Z2))))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
