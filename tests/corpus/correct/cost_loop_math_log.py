"""Accumulates the loss example by example with math.log."""
import math


def compute_cost(A2, Y):
    m = Y.shape[1]
    total = 0.0
    for j in range(m):
        a, y = A2[0, j], Y[0, j]
        total += y * math.log(a) + (1 - y) * math.log(1 - a)
    return -total / m
