"""Prints the cost to stdout and a warning to stderr before returning it."""
import sys

import numpy as np


def compute_cost(A2, Y):
    cost = -np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / Y.shape[1]
    print("cost:", cost)
    sys.stderr.write("warning: cost computed without clipping\n")
    return cost
