"""Hidden checks for forward propagation, the cost, backward propagation and the update step.

Each check draws its inputs for the submission and builds what it needs with
the reference code, so it calls exactly one student function and a bug
elsewhere in the notebook costs nothing here.
"""
import numpy as np

from .. import reference as ref
from .inputs import rng
from .self_check import (call, diagnose_backward, diagnose_cost, diagnose_forward, diagnose_update, for_examples,
                         numerical_gradients, signature)
from .support import labels, random_parameters

# (n_x, n_h, n_y, m): one example, one hidden unit and two or three outputs among them
FORWARD_SIZES = [(2, 4, 1, 5), (3, 6, 1, 40), (4, 3, 2, 7), (3, 1, 1, 1), (2, 5, 3, 1)]
BACKWARD_SIZES = [(3, 4, 1, 6), (2, 5, 1, 9), (3, 3, 2, 4), (2, 1, 1, 3), (3, 2, 2, 1)]


def check_forward_propagation(forward_propagation):
    draw = rng("forward_propagation")
    for n_x, n_h, n_y, m in FORWARD_SIZES:
        parameters = random_parameters(draw, n_x, n_h, n_y)
        X = draw.standard_normal((n_x, m))
        _, want = ref.forward_propagation(X, parameters)
        result = call(forward_propagation, X, parameters)
        diagnose_forward(result, signature("forward_propagation", (X, parameters)), want,
                         parameters["W1"] @ X, parameters["W2"] @ want["A1"])


def check_compute_cost(compute_cost):
    draw = rng("compute_cost")
    for m in (6, 1, 37):
        A2 = draw.uniform(0.05, 0.95, size=(1, m))
        Y = labels(draw, 1, m)
        want = ref.compute_cost(A2, Y)
        cost = call(compute_cost, A2, Y)
        positive_only = float(-np.sum(Y * np.log(A2)) / m)
        log10 = want / np.log(10)
        diagnose_cost(cost, signature("compute_cost", (A2, Y)), want, m,
                      [(positive_only, "cost-missing-term", {}),
                       (log10, "wrong-value", dict(name="the cost (log10 instead of the natural log)",
                                                   where=for_examples(m), diff=abs(log10 - want)))])


def backward_variants(parameters, cache, X, Y):
    """dW1 and db1 as each named tanh-derivative mistake computes them."""
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    A1 = cache["A1"]
    variants = {}
    for key, derivative in [("tanh-derivative-1-minus-a", 1 - A1), ("tanh-derivative-sigmoid", A1 * (1 - A1)),
                            ("tanh-derivative-of-a1", 1 - np.tanh(A1) ** 2)]:
        dZ1 = (parameters["W2"].T @ dZ2) * derivative
        variants[key] = {"dW1": dZ1 @ X.T / m, "db1": dZ1.sum(axis=1, keepdims=True) / m}
    return variants


def check_backward_propagation(backward_propagation):
    draw = rng("backward_propagation")
    for n_x, n_h, n_y, m in BACKWARD_SIZES:
        parameters = random_parameters(draw, n_x, n_h, n_y, scale=0.6)
        X = draw.standard_normal((n_x, m))
        Y = labels(draw, n_y, m)
        _, cache = ref.forward_propagation(X, parameters)
        # the ground truth: central differences of the reference cost, summed over the outputs
        want = numerical_gradients(lambda moved: ref.compute_cost(ref.forward_propagation(X, moved)[0], Y),
                                   parameters)
        grads = call(backward_propagation, parameters, cache, X, Y)
        diagnose_backward(grads, signature("backward_propagation", (parameters, cache, X, Y)), parameters, want, m,
                          backward_variants(parameters, cache, X, Y), "for inputs the checker chose")


def check_update_parameters(update_parameters):
    draw = rng("update_parameters")
    for n_x, n_h, n_y in ((3, 4, 1), (2, 3, 2)):
        parameters = random_parameters(draw, n_x, n_h, n_y)
        grads = {"d" + key: draw.standard_normal(np.shape(value)) for key, value in parameters.items()}
        for rate in (round(float(draw.uniform(0.3, 0.9)), 2), 0.01, 2.0, None):
            diagnose_update(update_parameters, parameters, grads, rate)
