"""Centres uniform draws and rescales them to standard deviation 0.01: right moments, wrong distribution."""
import numpy as np

EXPECTED = {"initialize_parameters": "uniform-weights"}


def initialize_parameters(n_x, n_h, n_y):
    def draw(shape):
        return (np.random.rand(*shape) - 0.5) * np.sqrt(12) * 0.01

    return {"W1": draw((n_h, n_x)), "b1": np.zeros((n_h, 1)), "W2": draw((n_y, n_h)), "b2": np.zeros((n_y, 1))}
