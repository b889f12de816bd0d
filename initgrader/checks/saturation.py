"""Hidden check for the saturation exercise: the mean activation derivative at initialization."""
import numpy as np

from .. import reference as ref
from .inputs import rng
from .self_check import ACTIVATIONS, diagnose_default_activation, diagnose_mean_derivative, relu, sigmoid

# (n_h, n_x, m, weight scale): small, moderate and saturating weights, then one unit and one example
CASES = [(6, 4, 50, 0.01), (6, 4, 50, 1.0), (6, 4, 50, 10.0), (1, 3, 1, 1.0)]


def mistakes(W1, b1, X, activation):
    """What each named mistake returns for ``activation``, with the hint that names it."""
    Z, Z_without_b1 = W1 @ X + b1, W1 @ X
    activated = {"tanh": np.tanh, "sigmoid": sigmoid, "relu": relu}[activation](Z)
    hints = {
        "tanh": [(np.mean(1 - np.tanh(Z)), "1 - tanh(Z) is not the derivative; use 1 - tanh(Z)**2"),
                 (np.mean(1 - np.tanh(Z_without_b1) ** 2), "add b1 to Z")],
        "sigmoid": [(np.mean(1 - sigmoid(Z) ** 2), "that is tanh's form; sigmoid's is s * (1 - s)"),
                    (np.mean(ref.activation_derivative(Z_without_b1, "sigmoid")), "add b1 to Z")],
        "relu": [(np.mean(Z >= 0), "use Z > 0"), (np.mean(Z_without_b1 > 0), "add b1 to Z")],
    }[activation]
    return ([(float(activated.mean()), "derivative-of-activation", dict(activation=activation))]
            + [(float(value), "wrong-derivative", dict(activation=activation, hint=hint)) for value, hint in hints])


def check_mean_activation_derivative(mean_activation_derivative):
    draw = rng("mean_activation_derivative")
    for n_h, n_x, m, scale in CASES:
        X = draw.standard_normal((n_x, m))
        W1 = draw.standard_normal((n_h, n_x)) * scale
        b1 = draw.choice([-1.0, 1.0], size=(n_h, 1)) * draw.uniform(0.2, 0.5, size=(n_h, 1))
        if n_h > 1:
            # one unit with Z exactly 0 everywhere, where relu's derivative is 0, not 1
            W1[0], b1[0] = 0.0, 0.0
        for activation in ACTIVATIONS:
            want = ref.mean_activation_derivative(W1, b1, X, activation)
            diagnose_mean_derivative(mean_activation_derivative, (W1, b1, X, activation), want,
                                     mistakes(W1, b1, X, activation), f"at weight scale {scale:g}")
        diagnose_default_activation(mean_activation_derivative, W1, b1, X,
                                    {activation: ref.mean_activation_derivative(W1, b1, X, activation)
                                     for activation in ACTIVATIONS})
