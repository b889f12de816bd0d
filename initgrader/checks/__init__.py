"""Pytest-style checks, one per graded function.

Each takes the student's function as its only argument, so the same check
runs in the notebook, in the kit's pytest suite and against the corpus.
"""
from .initialization import check_initialize_parameters, check_initialize_parameters_deep
from .propagation import (check_backward_propagation, check_compute_cost, check_forward_propagation,
                          check_update_parameters)
from .saturation import check_mean_activation_derivative
from .symmetry import check_count_distinct_units, check_inductive_step

CHECKS = {
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
