"""Hidden checks for the symmetry exercise: counting distinct hidden units and the inductive step.

The cases are the visible checks' cases with values drawn for the submission,
plus inductive steps taken with the reference on whole networks.
"""

from .. import reference as ref
from .inputs import rng
from .self_check import (check_count_cases, check_inductive_cases, constant_network, count_cases, inductive_cases,
                         random_network, symmetric_network)
from .support import labels


def check_count_distinct_units(count_distinct_units):
    check_count_cases(count_distinct_units, count_cases(rng("count_distinct_units")))


def training_step(parameters, draw, learning_rate, m=8):
    """(parameters, cache, grads, learning_rate) for one real step of gradient descent."""
    X = draw.standard_normal((parameters["W1"].shape[1], m))
    Y = labels(draw, parameters["W2"].shape[0], m)
    _, cache = ref.forward_propagation(X, parameters)
    return parameters, cache, ref.backward_propagation(parameters, cache, X, Y), learning_rate


def network_cases(draw):
    """Steps of whole networks, where every link follows from the one before it."""
    symmetric = symmetric_network(draw, 3, 4, 2)
    mixed = symmetric_network(draw, 3, 4, 1)
    # outgoing weights at least 0.12 apart, so the rows of dW1 differ by far more than tol
    mixed["W2"] = draw.permutation([[0.3, 0.6, -0.45, 0.9]], axis=1) * draw.uniform(0.8, 1.25)
    return [
        (training_step(symmetric, draw, 1.2), dict(A1=True, dW1=True, dW2=True, next=True),
         "every unit starts alike, with two outputs"),
        (training_step(constant_network(3, 4, 1, 0.0), draw, 1.2), dict(A1=True, dW1=True, dW2=True, next=True),
         "every weight starts at 0"),
        (training_step(random_network(draw, 3, 4, 2), draw, 0.5), dict(A1=False, dW1=False, dW2=False, next=False),
         "the weights are random"),
        (training_step(mixed, draw, 1.2), dict(A1=True, dW1=False, dW2=True, next=False),
         "W1's rows are equal but W2's entries differ"),
    ]


def check_inductive_step(inductive_step):
    draw = rng("inductive_step")
    check_inductive_cases(inductive_step, inductive_cases(draw) + network_cases(draw))
