"""Check for the saturation exercise: the mean activation derivative at initialization."""
import numpy as np

from .. import reference as ref
from .catalogue import say
from .support import call, describe, signature


def check_mean_activation_derivative(mean_activation_derivative):
    rng = np.random.default_rng(707)
    X = rng.standard_normal((4, 50))
    for scale in (0.01, 1.0, 10.0):
        W1 = rng.standard_normal((6, 4)) * scale
        b1 = rng.standard_normal((6, 1)) * 0.3
        # one unit with Z exactly 0 everywhere, where relu's derivative is 0, not 1
        W1[0], b1[0] = 0.0, 0.0
        Z = W1 @ X + b1
        for activation in ref.ACTIVATIONS:
            want = ref.mean_activation_derivative(W1, b1, X, activation)
            args = (W1, b1, X, activation)
            got = call(mean_activation_derivative, *args)
            assert isinstance(got, (float, int, np.number)) or (isinstance(got, np.ndarray) and got.ndim == 0), say(
                "not-a-number", call=signature("mean_activation_derivative", args), got=describe(got))
            got = float(got)
            if np.isclose(got, want, rtol=1e-6, atol=1e-9):
                continue
            activated = {"tanh": np.tanh, "sigmoid": ref.sigmoid, "relu": lambda z: np.maximum(z, 0)}[activation](Z)
            assert not np.isclose(got, activated.mean()), say("derivative-of-activation", activation=activation)
            hints = {
                "tanh": [(np.mean(1 - np.tanh(Z)), "1 - tanh(Z) is not the derivative; use 1 - tanh(Z)**2"),
                         (np.mean(1 - np.tanh(W1 @ X) ** 2), "add b1 to Z")],
                "sigmoid": [(np.mean(1 - ref.sigmoid(Z) ** 2), "that is tanh's form; sigmoid's is s * (1 - s)"),
                            (np.mean(ref.activation_derivative(W1 @ X, "sigmoid")), "add b1 to Z")],
                "relu": [(np.mean(Z >= 0), "use Z > 0"), (np.mean(W1 @ X > 0), "add b1 to Z")],
            }[activation]
            hint = next((text for value, text in hints if np.isclose(got, value)), f"at weight scale {scale}")
            raise AssertionError(say("wrong-derivative", activation=activation, got=got, want=want, hint=hint))
