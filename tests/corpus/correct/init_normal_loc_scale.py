"""Uses np.random.normal with keyword loc and scale."""
import numpy as np


def initialize_parameters(n_x, n_h, n_y):
    return {
        "W1": np.random.normal(loc=0.0, scale=0.01, size=(n_h, n_x)),
        "b1": np.zeros((n_h, 1)),
        "W2": np.random.normal(loc=0.0, scale=0.01, size=(n_y, n_h)),
        "b2": np.zeros((n_y, 1)),
    }
