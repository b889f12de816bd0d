"""Checks for the two initializers: shapes, zero biases and Gaussian weights of the right scale."""
import math

import numpy as np

from .. import reference as ref
from .catalogue import say
from .support import assert_dict, assert_gaussian, assert_independent, assert_shape, call, signature

PARAMETER_KEYS = ("W1", "b1", "W2", "b2")


def expected_shapes(n_x, n_h, n_y):
    return {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}


def check_initialize_parameters(initialize_parameters):
    for n_x, n_h, n_y in [(2, 4, 1), (5, 3, 2), (7, 9, 1)]:
        parameters = call(initialize_parameters, n_x, n_h, n_y)
        call_text = signature("initialize_parameters", (n_x, n_h, n_y))
        assert_dict(parameters, PARAMETER_KEYS, call_text)
        assert_shape(parameters["W1"], (n_h, n_x), "W1", rows="hidden units (n_h)", cols="inputs (n_x)")
        assert_shape(parameters["b1"], (n_h, 1), "b1")
        assert_shape(parameters["W2"], (n_y, n_h), "W2", rows="outputs (n_y)", cols="hidden units (n_h)")
        assert_shape(parameters["b2"], (n_y, 1), "b2")
        for bias in ("b1", "b2"):
            assert np.all(parameters[bias] == 0), say("random-biases", name=bias)

    # 100_000 draws per matrix: enough for the statistical tests to separate N(0, 0.01^2) from every mistake
    parameters = call(initialize_parameters, 400, 250, 400)
    assert_dict(parameters, PARAMETER_KEYS, signature("initialize_parameters", (400, 250, 400)))
    assert_shape(parameters["W1"], (250, 400), "W1", rows="hidden units (n_h)", cols="inputs (n_x)")
    assert_shape(parameters["W2"], (400, 250), "W2", rows="outputs (n_y)", cols="hidden units (n_h)")
    for name, n_prev in (("W1", 400), ("W2", 250)):
        std = float(np.std(parameters[name]))
        assert not math.isclose(std, math.sqrt(1 / n_prev), rel_tol=0.05), say(
            "xavier-in-shallow", name=name, std=std, n=n_prev)
    assert_gaussian(parameters["W1"], 0.01, "W1")
    assert_gaussian(parameters["W2"], 0.01, "W2")
    assert_independent(parameters["W2"], parameters["W1"], "W2", "W1")


def check_initialize_parameters_deep(initialize_parameters_deep):
    # every matrix holds >= 24_000 entries, and the sizes keep each scale mix-up >5% from every other
    layer_dims = [300, 100, 400, 60]
    for method in ("small", "xavier", "he"):
        parameters = call(initialize_parameters_deep, layer_dims, method)
        call_text = signature("initialize_parameters_deep", (layer_dims, method))
        keys = [f"{kind}{layer}" for layer in range(1, len(layer_dims)) for kind in "Wb"]
        assert_dict(parameters, keys, call_text)
        for layer in range(1, len(layer_dims)):
            n_prev, n = layer_dims[layer - 1], layer_dims[layer]
            W, b = parameters[f"W{layer}"], parameters[f"b{layer}"]
            assert_shape(W, (n, n_prev), f"W{layer}", rows=f"units of layer {layer}", cols=f"units of layer {layer - 1}")
            assert_shape(b, (n, 1), f"b{layer}")
            assert np.all(b == 0), say("random-biases", name=f"b{layer}")
            want = ref.init_scale(method, n_prev)
            diagnose_scale(W, want, method, layer, n_prev, n)
            assert_gaussian(W, want, f"W{layer} ({method})")


def diagnose_scale(W, want, method, layer, n_prev, n):
    """Name the two classic scale mix-ups before the generic Gaussian test reports a number."""
    std = float(np.std(W))
    if method == "small" or not np.isfinite(std) or std == 0:
        return
    other, other_scale = ("he", math.sqrt(2 / n_prev)) if method == "xavier" else ("xavier", math.sqrt(1 / n_prev))
    formula = "sqrt(1 / n^[l-1])" if method == "xavier" else "sqrt(2 / n^[l-1])"
    assert not math.isclose(std, other_scale, rel_tol=0.05), say(
        "xavier-he-swapped", layer=layer, method=method, std=std, other=other, formula=formula)
    factor = 1 if method == "xavier" else 2
    assert not math.isclose(std, math.sqrt(factor / n), rel_tol=0.05), say(
        "scaled-by-n", layer=layer, method=method, std=std, n_prev=n_prev, n=n)



