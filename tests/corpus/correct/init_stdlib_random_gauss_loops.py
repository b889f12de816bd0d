"""Fills the weights entry by entry with the standard library's random.gauss."""
import random

import numpy as np


def initialize_parameters(n_x, n_h, n_y):
    W1 = np.array([[random.gauss(0, 0.01) for _ in range(n_x)] for _ in range(n_h)])
    W2 = np.array([[random.gauss(0, 0.01) for _ in range(n_h)] for _ in range(n_y)])
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
