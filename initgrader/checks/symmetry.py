"""Checks for the symmetry exercise: counting distinct hidden units and the inductive step."""
import numpy as np

from .. import reference as ref
from .catalogue import say
from .support import call, describe, labels, random_parameters, signature


def constant_parameters(n_x, n_h, value):
    return {"W1": np.full((n_h, n_x), value), "b1": np.zeros((n_h, 1)),
            "W2": np.full((1, n_h), value), "b2": np.zeros((1, 1))}


def with_units(parameters, order):
    """The same network with its hidden units listed in ``order`` (repeats allowed)."""
    return {"W1": parameters["W1"][order], "b1": parameters["b1"][order],
            "W2": parameters["W2"][:, order], "b2": parameters["b2"]}


def count_cases(rng):
    base = random_parameters(rng, 3, 5, 1)
    near = constant_parameters(3, 4, 0.5)
    near["W1"][2] += 1e-11
    coarse = constant_parameters(3, 4, 0.5)
    coarse["W1"][1] += 1e-4
    only_w2 = constant_parameters(3, 4, 0.5)
    only_w2["W2"][0, 3] = -0.5
    only_b1 = constant_parameters(3, 4, 0.5)
    only_b1["b1"][1, 0] = 0.2
    # closer than np.allclose's default relative tolerance, farther than tol
    relative = constant_parameters(3, 4, 0.5)
    relative["W1"][3, 0] += 1e-6
    # on either side of a multiple of tol, yet within tol of each other
    straddle = constant_parameters(3, 2, 0.5)
    straddle["W1"][0, 0] = 0.3 + 0.5e-8 - 1e-12
    straddle["W1"][1, 0] = 0.3 + 0.5e-8 + 1e-12
    return [
        ((constant_parameters(2, 4, 0.0),), 1, "all-zero parameters"),
        ((constant_parameters(3, 6, 0.3),), 1, "every weight equal to 0.3"),
        ((base,), 5, "five random units"),
        ((with_units(base, [2, 0, 2, 4, 0, 2]),), 3, "three random units, repeated in shuffled order"),
        ((only_w2,), 2, "units that differ only in their outgoing weight W2[:, i]"),
        ((only_b1,), 2, "units that differ only in their bias b1[i]"),
        ((near,), 1, "units that differ by 1e-11, below the default tol=1e-8"),
        ((coarse,), 2, "units that differ by 1e-4, above the default tol"),
        ((coarse, 1e-3), 1, "units that differ by 1e-4 with tol=1e-3"),
        ((relative,), 2, "units of size 0.5 that differ by 1e-6, above the default tol"),
        ((straddle,), 1, "units that differ by 2e-12, on either side of a multiple of tol"),
    ]


def check_count_distinct_units(count_distinct_units):
    for args, want, case in count_cases(np.random.default_rng(505)):
        got = call(count_distinct_units, *args)
        call_text = signature("count_distinct_units", args)
        assert isinstance(got, (int, np.integer)) and not isinstance(got, bool), say(
            "wrong-count", call=call_text, got=describe(got), want=want, case=case + "; return an int")
        assert got == want, say("wrong-count", call=call_text, got=got, want=want, case=case)


def step_inputs(parameters, rng, m=8):
    X = rng.standard_normal((parameters["W1"].shape[1], m))
    Y = labels(rng, m)
    _, cache = ref.forward_propagation(X, parameters)
    return parameters, cache, ref.backward_propagation(parameters, cache, X, Y)


def inductive_cases(rng):
    symmetric = step_inputs(constant_parameters(3, 4, 0.4), rng)
    zero = step_inputs(constant_parameters(3, 4, 0.0), rng)
    broken = step_inputs(random_parameters(rng, 3, 4, 1, scale=0.5), rng)
    mixed_parameters = constant_parameters(3, 4, 0.4)
    mixed_parameters["W2"] = rng.standard_normal((1, 4))
    mixed = step_inputs(mixed_parameters, rng)
    # rows of W1 differ by d and rows of dW1 by d / rate, so the step restores the symmetry
    # only when it uses the learning rate it is given
    healing_parameters = constant_parameters(3, 4, 0.4)
    healing_parameters["W1"][1] += 0.3
    healing_grads = {"dW1": np.zeros((4, 3)), "db1": np.zeros((4, 1)), "dW2": np.zeros((1, 4)), "db2": np.zeros((1, 1))}
    healing_grads["dW1"][1] += 0.3 / 0.25
    healing_cache = ref.forward_propagation(rng.standard_normal((3, 5)), healing_parameters)[1]
    zero_grads = {key: value * 0 for key, value in healing_grads.items()}
    w2_differs = constant_parameters(3, 4, 0.4)
    w2_differs["W2"][0, 2] = -0.1
    b1_differs = constant_parameters(3, 4, 0.4)
    b1_differs["b1"][3, 0] = 0.2
    return [
        ((w2_differs, ref.forward_propagation(rng.standard_normal((3, 5)), w2_differs)[1], zero_grads, 1.0), dict(A1=True, dW1=True, dW2=True, next=False),
         "W1's rows are equal but one entry of W2 differs, and the gradients are zero"),
        ((b1_differs, ref.forward_propagation(rng.standard_normal((3, 5)), b1_differs)[1], zero_grads, 1.0),
         dict(A1=False, dW1=True, dW2=True, next=False), "W1 and W2 are constant but one entry of b1 differs"),
        (symmetric + (1.2,), dict(A1=True, dW1=True, dW2=True, next=True), "every weight starts at 0.4"),
        (zero + (1.2,), dict(A1=True, dW1=True, dW2=True, next=True), "every weight starts at 0"),
        (broken + (0.5,), dict(A1=False, dW1=False, dW2=False, next=False), "the weights are random"),
        (mixed + (1.2,), dict(A1=True, dW1=False, dW2=True, next=False),
         "W1's rows are equal but W2's entries differ"),
        ((healing_parameters, healing_cache, healing_grads, 0.25), dict(A1=False, dW1=False, dW2=True, next=True),
         "the step with learning_rate=0.25 makes W1's rows equal"),
    ]


def check_inductive_step(inductive_step):
    for args, want, case in inductive_cases(np.random.default_rng(606)):
        call_text = signature("inductive_step", args)
        report = call(inductive_step, *args)
        assert isinstance(report, dict), say("not-a-dict", call=call_text, got=describe(report),
                                             keys=", ".join(want))
        for key, expected in want.items():
            assert key in report, say("missing-key", call=call_text, key=key, keys=", ".join(want))
            value = report[key]
            assert isinstance(value, (bool, np.bool_)), say("not-bool", call=call_text, got=describe(value), key=key)
            assert bool(value) == expected, say("wrong-link", key=key, want=expected, case=case)
