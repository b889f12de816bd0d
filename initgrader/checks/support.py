"""What the hidden checks need beyond :mod:`.self_check`: inputs drawn for the grader.

The statistics of random draws, with the arithmetic behind every tolerance,
live in :mod:`.self_check` (the module the assignment ships), so the visible
tests and the hidden checks apply the same tests; see
:func:`.self_check.expect_normal_draws`, :func:`.self_check.expect_distinct_units`,
:func:`.self_check.expect_unrelated` and the functions they call.
"""


def random_parameters(rng, n_x, n_h, n_y, scale=0.8):
    """Parameters the checker chooses: weights large enough that tanh is visibly nonlinear, and
    biases at least 0.2 away from zero, so that leaving a bias out always shows."""
    def bias(n):
        return rng.choice([-1.0, 1.0], size=(n, 1)) * rng.uniform(0.2, 0.8, size=(n, 1))
    return {
        "W1": rng.standard_normal((n_h, n_x)) * scale,
        "b1": bias(n_h),
        "W2": rng.standard_normal((n_y, n_h)) * scale,
        "b2": bias(n_y),
    }


def labels(rng, n_y, m):
    """0/1 labels of shape (n_y, m) in which every output sees both classes when m >= 2."""
    Y = rng.integers(0, 2, size=(n_y, m)).astype(float)
    Y[:, 0] = 0.0
    if m >= 2:
        Y[:, 1] = 1.0
    return rng.permuted(Y, axis=1) if m >= 2 else Y
