"""Checks for forward propagation, the cost, backward propagation and the update step.

Each check builds its inputs with the reference code, so it calls exactly one
student function and a bug elsewhere in the notebook costs nothing here.
"""
import numpy as np

from .. import reference as ref
from .catalogue import say
from .support import (assert_close, assert_dict, assert_shape, call, close, describe, labels, max_diff,
                      random_parameters, signature)

SIZES = [(2, 4, 1, 5), (3, 6, 1, 40), (4, 3, 2, 7)]


def relu(z):
    return np.maximum(z, 0)


def check_forward_propagation(forward_propagation):
    rng = np.random.default_rng(101)
    for n_x, n_h, n_y, m in SIZES:
        parameters = random_parameters(rng, n_x, n_h, n_y)
        X = rng.standard_normal((n_x, m))
        want_A2, want = ref.forward_propagation(X, parameters)
        call_text = signature("forward_propagation", (X, parameters))
        result = call(forward_propagation, X, parameters)
        assert isinstance(result, tuple) and len(result) == 2, say("not-a-pair", call=call_text, got=describe(result))
        A2, cache = result
        assert_dict(cache, ("Z1", "A1", "Z2", "A2"), call_text + "[1]")
        for key in ("Z1", "A1", "Z2", "A2"):
            assert_shape(cache[key], want[key].shape, f"cache[{key!r}]")

        without_b1 = parameters["W1"] @ X
        assert not close(cache["Z1"], without_b1), say("missing-bias", name="Z1", without="W1 @ X", bias="b1")
        assert_close(cache["Z1"], want["Z1"], "Z1")

        for name, activation in [("sigmoid", ref.sigmoid), ("relu", relu), ("the identity", lambda z: z)]:
            assert not close(cache["A1"], activation(want["Z1"])), say("hidden-activation", found=name)
        assert_close(cache["A1"], want["A1"], "A1")

        without_b2 = parameters["W2"] @ want["A1"]
        assert not close(cache["Z2"], without_b2), say("missing-bias", name="Z2", without="W2 @ A1", bias="b2")
        assert_close(cache["Z2"], want["Z2"], "Z2")

        for name, activation in [("tanh", np.tanh), ("relu", relu), ("the identity", lambda z: z)]:
            assert not close(cache["A2"], activation(want["Z2"])), say("output-activation", found=name)
        assert_close(cache["A2"], want["A2"], "cache['A2']")
        assert isinstance(A2, np.ndarray), say("not-an-array", name="A2", got=describe(A2))
        assert close(A2, want_A2), say("inconsistent-output")


def check_compute_cost(compute_cost):
    rng = np.random.default_rng(202)
    for m in (1, 6, 37):
        A2 = rng.uniform(0.05, 0.95, size=(1, m))
        Y = labels(rng, m)
        want = ref.compute_cost(A2, Y)
        call_text = signature("compute_cost", (A2, Y))
        cost = call(compute_cost, A2, Y)
        if isinstance(cost, np.ndarray):
            assert cost.ndim == 0, say("cost-not-scalar", call=call_text, got=cost.shape)
        assert isinstance(cost, (float, int, np.number, np.ndarray)) and not isinstance(cost, bool), say(
            "wrong-value", name="the cost (" + describe(cost) + ")", diff=float("inf"))
        got = float(cost)
        assert not np.isclose(got, -want), say("cost-sign", got=got)
        assert not (m > 1 and np.isclose(got, want * m)), say("cost-missing-mean", m=m)
        only_positive = float(-np.sum(Y * np.log(A2)) / m)
        assert not np.isclose(got, only_positive), say("cost-missing-term")
        assert np.isclose(got, want, rtol=1e-6, atol=1e-9), say("wrong-value", name="the cost", diff=abs(got - want))


def numerical_gradients(parameters, X, Y, eps=1e-6):
    """Central differences of the reference cost: the ground truth for every gradient."""
    grads = {}
    for key, value in parameters.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            costs = []
            for step in (eps, -eps):
                moved = {k: v.copy() for k, v in parameters.items()}
                moved[key][index] += step
                costs.append(ref.compute_cost(ref.forward_propagation(X, moved)[0], Y))
            grad[index] = (costs[0] - costs[1]) / (2 * eps)
        grads["d" + key] = grad
    return grads


def backward_variants(parameters, cache, X, Y):
    """Gradients as each named mistake computes them, to name the one a student made."""
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
    rng = np.random.default_rng(303)
    for n_x, n_h, n_y, m in [(3, 4, 1, 6), (2, 5, 1, 9)]:
        parameters = random_parameters(rng, n_x, n_h, n_y, scale=0.6)
        X = rng.standard_normal((n_x, m))
        Y = labels(rng, m)
        _, cache = ref.forward_propagation(X, parameters)
        want = numerical_gradients(parameters, X, Y)
        call_text = signature("backward_propagation", (parameters, cache, X, Y))
        grads = call(backward_propagation, parameters, cache, X, Y)
        assert_dict(grads, ("dW1", "db1", "dW2", "db2"), call_text)
        for key in ("dW1", "db1", "dW2", "db2"):
            got, expected_shape = grads[key], parameters[key[1:]].shape
            if key.startswith("db") and np.shape(got) == (expected_shape[0],):
                raise AssertionError(say("bias-grad-keepdims", name=key, got=np.shape(got), want=expected_shape))
            assert_shape(got, expected_shape, key)
        variants = backward_variants(parameters, cache, X, Y)
        for key in ("dW2", "db2", "dW1", "db1"):
            got = np.asarray(grads[key], dtype=float)
            if close(got, want[key]):
                continue
            # only dW2 and db2 checked so far: a sign error from here on lives in the tanh derivative
            sign_key = "tanh-derivative-sign" if key in ("dW1", "db1") else "grad-sign"
            assert not close(got, -want[key]), say(sign_key, name=key)
            assert not close(got, want[key] * m), say("grad-missing-mean", name=key, m=m)
            for misconception, variant in variants.items():
                assert not (key in variant and close(got, variant[key])), say(misconception)
            raise AssertionError(say("wrong-value", name=key, diff=max_diff(got, want[key])))


def check_update_parameters(update_parameters):
    rng = np.random.default_rng(404)
    parameters = random_parameters(rng, 3, 4, 1)
    grads = {"d" + key: rng.standard_normal(value.shape) for key, value in parameters.items()}
    for rate in (0.5, 0.01, 2.0, None):
        args = (parameters, grads) if rate is None else (parameters, grads, rate)
        used = 1.2 if rate is None else rate
        call_text = signature("update_parameters", args)
        updated = call(update_parameters, *args)
        assert updated is not None, say("returned-none", call=call_text)
        assert_dict(updated, ("W1", "b1", "W2", "b2"), call_text)
        for key in ("W1", "b1", "W2", "b2"):
            before, step = parameters[key], grads["d" + key]
            got = np.asarray(updated[key], dtype=float)
            assert_shape(got, before.shape, key)
            if close(got, before - used * step):
                continue
            assert not close(got, before), say("bias-not-updated" if key.startswith("b") else "not-updated",
                                               name=key)
            assert not close(got, before + used * step), say("gradient-ascent", name=key)
            for other in (1.0, 1.2, 0.01, 0.1):
                if close(got, before - other * step):
                    key_name = "wrong-default-rate" if rate is None else "ignores-learning-rate"
                    raise AssertionError(say(key_name, name=key, used=other, given=used))
            raise AssertionError(say("wrong-value", name=key, diff=max_diff(got, before - used * step)))
