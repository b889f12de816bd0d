"""Hidden checks for the two initializers: shapes, zero biases, and independent normal draws of the right scale.

Everything they test needs no reference, so they run the visible checks'
tests (:mod:`.self_check`), on sizes drawn for each submission as well. Only
the ``*_sizes`` part depends on the seed; the statistical tests use fixed sizes
and the student's own random draws.
"""
from .inputs import rng
from .self_check import (DEEP_DIMS, expect_deep_draws, expect_deep_parameters, expect_default_method,
                         expect_initial_draws, expect_parameters)

METHODS = ("small", "xavier", "he")


def check_initialize_parameters(initialize_parameters):
    check_initialize_parameters_sizes(initialize_parameters)
    # 100 000 draws per matrix: enough for the statistics to tell N(0, 0.01^2) from every mistake
    expect_initial_draws(initialize_parameters, 400, 250, 400)


def check_initialize_parameters_sizes(initialize_parameters):
    """Shapes and zero biases for fixed sizes and sizes drawn for the submission: the seeded part of the check."""
    draw = rng("initialize_parameters")
    # the fixed sizes come first so that a transposed matrix always shows as one (they are not square)
    sizes = [(2, 4, 1), (1, 1, 1), (3, 1, 2), (1, 6, 3)]
    sizes += [tuple(int(n) for n in draw.integers(1, 10, size=3)) for _ in range(3)]
    for n_x, n_h, n_y in sizes:
        expect_parameters(initialize_parameters, n_x, n_h, n_y)


def check_initialize_parameters_deep(initialize_parameters_deep):
    check_initialize_parameters_deep_sizes(initialize_parameters_deep)
    for method in METHODS:
        expect_deep_draws(initialize_parameters_deep, DEEP_DIMS, method)
    expect_default_method(initialize_parameters_deep, DEEP_DIMS)


def check_initialize_parameters_deep_sizes(initialize_parameters_deep):
    """Shapes and zero biases, with and without a method, for fixed and drawn layer sizes: the seeded part."""
    draw = rng("initialize_parameters_deep")
    shapes = [[5, 4, 3, 1], [int(n) for n in draw.integers(1, 8, size=2)],
              [int(n) for n in draw.integers(1, 8, size=int(draw.integers(3, 6)))]]
    for layer_dims in shapes:
        for method in METHODS + (None,):
            expect_deep_parameters(initialize_parameters_deep, layer_dims, method)
