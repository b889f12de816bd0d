"""Hidden checks for the two initializers: shapes and zero biases on sizes drawn for each submission.

Whether the weights are independent normal draws of the right scale needs no
hidden input: the visible check that follows in the same test cell
(:mod:`.self_check`) tests it on draws large enough to tell, with the
student's own randomness. Testing it here again would double the grading
time of both cells and find nothing more.
"""
from .inputs import rng
from .self_check import expect_parameters, expect_deep_parameters

METHODS = ("small", "xavier", "he")


def check_initialize_parameters(initialize_parameters):
    """Shapes and zero biases for fixed sizes and sizes drawn for the submission."""
    draw = rng("initialize_parameters")
    # the fixed sizes come first so that a transposed matrix always shows as one (they are not square)
    sizes = [(2, 4, 1), (1, 1, 1), (3, 1, 2), (1, 6, 3)]
    sizes += [tuple(int(n) for n in draw.integers(1, 10, size=3)) for _ in range(3)]
    for n_x, n_h, n_y in sizes:
        expect_parameters(initialize_parameters, n_x, n_h, n_y)


def check_initialize_parameters_deep(initialize_parameters_deep):
    """Shapes and zero biases, with and without a method, for fixed and drawn layer sizes."""
    draw = rng("initialize_parameters_deep")
    shapes = [[5, 4, 3, 1], [int(n) for n in draw.integers(1, 8, size=2)],
              [int(n) for n in draw.integers(1, 8, size=int(draw.integers(3, 6)))]]
    for layer_dims in shapes:
        for method in METHODS + (None,):
            expect_deep_parameters(initialize_parameters_deep, layer_dims, method)
