"""Turns uniform draws into Gaussian ones with the Box-Muller transform."""
import numpy as np


def initialize_parameters(n_x, n_h, n_y):
    def gaussian(shape):
        u1 = 1.0 - np.random.rand(*shape)  # in (0, 1], so the log is finite
        u2 = np.random.rand(*shape)
        return np.sqrt(-2 * np.log(u1)) * np.cos(2 * np.pi * u2)

    return {"W1": gaussian((n_h, n_x)) * 0.01, "b1": np.zeros((n_h, 1)),
            "W2": gaussian((n_y, n_h)) * 0.01, "b2": np.zeros((n_y, 1))}
