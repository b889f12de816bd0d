"""The checks of each graded function, and the seed their inputs come from.

A test cell runs a hidden check (:data:`HIDDEN`, from this package) and then the
visible one the student ran too (``self_check.check_<function>``); :data:`CHECKS`
composes the two exactly as the cell does. Each takes the student's function as
its only argument and raises :class:`CheckFailed` (an ``AssertionError``
carrying the misconception's key) when it finds a mistake, so the same checks
run in the notebook, in the kit's pytest suite against the corpus, and behind
the grading sandbox's proxies.

:mod:`.self_check` holds everything that needs no reference solution: the
message catalogue, the statistical tests and the visible checks. The assignment
ships a byte-identical copy of it as ``source/<assignment>/self_check.py``
(a test fails when the two differ). Inputs are drawn from the seed set with
:func:`use_seed`.
"""
from .initialization import check_initialize_parameters, check_initialize_parameters_deep
from .inputs import DEFAULT_SEED, rng, use_seed
from .propagation import (check_backward_propagation, check_compute_cost, check_forward_propagation,
                          check_update_parameters)
from .saturation import check_mean_activation_derivative
from . import self_check
from .self_check import CheckFailed
from .symmetry import check_count_distinct_units, check_inductive_step

# The hidden part of each test cell, by graded function.
HIDDEN = {
    "initialize_parameters": check_initialize_parameters,
    "forward_propagation": check_forward_propagation,
    "compute_cost": check_compute_cost,
    "backward_propagation": check_backward_propagation,
    "update_parameters": check_update_parameters,
    "count_distinct_units": check_count_distinct_units,
    "inductive_step": check_inductive_step,
    "mean_activation_derivative": check_mean_activation_derivative,
    "initialize_parameters_deep": check_initialize_parameters_deep,
}


def cell_check(name):
    """What the test cell of ``name`` checks: its hidden check, then the visible one, as the notebook runs them."""
    hidden, shown = HIDDEN[name], getattr(self_check, f"check_{name}")

    def check(function):
        hidden(function)
        shown(function)
    check.__name__ = check.__qualname__ = f"check_{name}"
    check.__doc__ = f"The test cell of {name}: the hidden check, then the visible one."
    return check


CHECKS = {name: cell_check(name) for name in HIDDEN}
