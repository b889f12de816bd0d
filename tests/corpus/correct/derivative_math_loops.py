"""Loops over every entry of Z with the math module."""
import math


def mean_activation_derivative(W1, b1, X, activation="tanh"):
    Z = W1 @ X + b1
    total = 0.0
    for z in Z.flat:
        if activation == "tanh":
            total += 1 - math.tanh(z) ** 2
        elif activation == "sigmoid":
            s = 0.5 * (1 + math.tanh(z / 2))
            total += s * (1 - s)
        else:
            total += 1.0 if z > 0 else 0.0
    return total / Z.size
