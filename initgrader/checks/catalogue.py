"""Every message a check can fail with, keyed by the misconception it names.

Checks fail with plain ``assert cond, say(key, ...)``; reports turn a message
back into its key with :func:`identify`, so the text is the single source.
"""
import re
import string

MESSAGES = {
    # calling and returning
    "raised": "{call} raised {error}",
    "not-a-dict": "{call} returned {got}; return a dict with the keys {keys}",
    "missing-key": "{call} returned a dict without {key!r}; it must hold {keys}",
    "not-an-array": "{name} is {got}, not a NumPy array",
    "not-a-number": "{call} returned {got}; return a number (a float)",
    "not-a-pair": "{call} returned {got}; return the pair (A2, cache)",
    # shapes
    "transposed": "{name} has shape {got}, the transpose of {want}{axes}",
    "1d-bias": "{name} has shape {got}, a 1-D vector; make it a column of shape {want} (np.zeros(({n}, 1)))",
    "wrong-shape": "{name} has shape {got}; expected {want}",
    # initialization
    "zero-weights": "every entry of {name} is 0: all hidden units compute the same function and, as the proof shows, "
                    "stay identical forever (symmetry is never broken)",
    "constant-weights": "every entry of {name} equals {value:.3g}: identical weights make the hidden units symmetric, "
                        "and gradient descent keeps them identical",
    "repeated-rows": "{name} has only {distinct} distinct rows out of {rows}: each unit needs its own independent "
                     "random row, otherwise the copied units stay identical",
    "repeated-values": "only {fraction:.0%} of the entries of {name} are distinct: draw every weight independently "
                       "(one np.random.randn call with the full shape)",
    "uniform-weights": "{name} looks uniformly distributed ({inside:.0%} of its entries lie within one standard "
                       "deviation of the mean; a normal distribution gives 68%): use np.random.randn, not np.random.rand",
    "missing-scale": "{name} has standard deviation {std:.3g}, about 1: multiply np.random.randn(...) by 0.01, large "
                     "weights saturate tanh and sigmoid",
    "wrong-scale": "{name} has standard deviation {std:.3g}; expected {want:.3g}",
    "not-centred": "{name} has mean {mean:.3g}, far from 0 for its spread {std:.3g}: draw weights centred at zero",
    "xavier-in-shallow": "{name} has standard deviation {std:.3g}, about sqrt(1/{n}): that is Xavier's scale for "
                         "deep networks; this shallow network starts its weights at 0.01 * randn",
    "random-biases": "{name} is not all zeros: biases start at 0 (the random weights already break the symmetry)",
    "reused-draws": "{name} repeats the random numbers of {other} (reseeding before each draw?): draw each matrix "
                    "independently",
    "xavier-he-swapped": "layer {layer} with method {method!r} has standard deviation {std:.3g}, which is "
                         "{other}'s scale; {method!r} uses {formula}",
    "scaled-by-n": "layer {layer} with method {method!r} has standard deviation {std:.3g}: scale by the size of "
                   "the previous layer n^[l-1] = {n_prev}, not of this layer n^[l] = {n}",
    # forward propagation
    "missing-bias": "{name} equals {without}: the bias {bias} is missing",
    "hidden-activation": "A1 equals {found}(Z1); the hidden layer uses tanh",
    "output-activation": "A2 equals {found}(Z2); the output layer uses sigmoid",
    "inconsistent-output": "the A2 you return differs from cache['A2']",
    "wrong-value": "{name} differs from the expected value for inputs the checker chose "
                   "(largest difference {diff:.3g})",
    # cost
    "cost-not-scalar": "{call} returned an array of shape {got}; return a scalar (float(...) or np.squeeze(...))",
    "cost-sign": "the cost is negative ({got:.4g}): cross-entropy is -(1/m) * sum(Y log A2 + (1 - Y) log(1 - A2))",
    "cost-missing-mean": "the cost is m = {m} times too large: divide the sum by m",
    "cost-missing-term": "the cost ignores the (1 - Y) * log(1 - A2) term for the examples with label 0",
    # backward propagation
    "grad-missing-mean": "{name} is m = {m} times too large: divide by m",
    "grad-sign": "{name} has the wrong sign: dZ2 = A2 - Y",
    "tanh-derivative-1-minus-a": "dW1 uses 1 - A1 as the derivative of tanh; it is 1 - A1**2",
    "tanh-derivative-sigmoid": "dW1 uses A1 * (1 - A1), the derivative of the sigmoid; tanh's is 1 - A1**2",
    "tanh-derivative-of-a1": "dW1 uses 1 - tanh(A1)**2, applying tanh twice; the derivative is 1 - A1**2 = 1 - tanh(Z1)**2",
    "tanh-derivative-sign": "dW2 is right but {name} has the wrong sign: tanh's derivative is 1 - A1**2, not A1**2 - 1",
    "bias-grad-keepdims": "{name} has shape {got}: sum with keepdims=True to keep the shape {want}",
    # update
    "returned-none": "{call} returned None; return the updated parameters",
    "gradient-ascent": "{name} moved along +gradient: gradient descent subtracts, {name} - learning_rate * d{name}",
    "ignores-learning-rate": "{name} was updated with learning rate {used:g} instead of the {given:g} passed in",
    "wrong-default-rate": "called without a learning rate, {name} was updated with rate {used:g}; the default is 1.2",
    "bias-not-updated": "{name} did not change: update the biases too",
    "not-updated": "{name} did not change: update every parameter, W1, b1, W2 and b2",
    # symmetry exercise
    "wrong-count": "{call} returned {got}; expected {want} ({case})",
    "not-bool": "{call} returned {got} for {key!r}; return True or False",
    "wrong-link": "{key!r} should be {want} when {case}",
    # saturation
    "derivative-of-activation": "you averaged the activation {activation}(Z), not its derivative",
    "wrong-derivative": "the mean derivative for {activation!r} is {got:.4g}; expected {want:.4g} ({hint})",
}


def say(_key, /, **values):
    return MESSAGES[_key].format(**values)


def _pattern(template):
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(".*?")
    return re.compile("".join(parts) + "$", re.DOTALL)


def _literal_length(template):
    return sum(len(literal) for literal, *_ in string.Formatter().parse(template))


# the most specific template wins when a loose one ("{call} raised {error}") also matches
_PATTERNS = [(key, _pattern(MESSAGES[key])) for key in sorted(MESSAGES, key=lambda k: -_literal_length(MESSAGES[k]))]


def identify(message):
    """The misconception key whose template produced ``message``, or None."""
    text = message.strip()
    return next((key for key, pattern in _PATTERNS if pattern.match(text)), None)
