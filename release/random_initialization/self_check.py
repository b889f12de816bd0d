"""Checks you can run yourself while you work on the random-initialization assignment.

The visible part of every test cell calls one ``check_<function>`` of this
module with your function. They test what needs no model answer: shapes, zero
biases, the statistics of your random draws, worked examples, default
arguments, the symmetry cases, and (for backward propagation) a gradient check
against your own forward propagation and cost. A failed check raises
:class:`CheckFailed`, whose message names the mistake.

The graded checks test the same properties, and more, on inputs of their own,
with the same messages; editing this file changes nothing in your grade.
Everything here uses NumPy and the standard library only.
"""
import contextlib
import copy
import functools
import io
import math
import textwrap
import warnings

import numpy as np

# ================================================================ messages
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
    "not-finite": "{name} contains NaN or infinite values",
    "zero-weights": "every entry of {name} is 0: all hidden units compute the same function and, as the proof shows, "
                    "stay identical forever (symmetry is never broken)",
    "constant-weights": "every entry of {name} equals {value:.3g}: identical weights make the hidden units symmetric, "
                        "and gradient descent keeps them identical",
    "repeated-rows": "{name} has only {distinct} distinct rows out of {rows}: each unit needs its own independent "
                     "random row, otherwise the copied units stay identical",
    "repeated-values": "only {fraction:.0%} of the entries of {name} are distinct: draw every weight independently "
                       "(one np.random.randn call with the full shape)",
    "uniform-weights": "{name} is too flat for a normal distribution (only {inside:.0%} of its entries lie within one "
                       "standard deviation of the mean, where a normal distribution puts 68%), as uniform draws are: "
                       "use np.random.randn, not np.random.rand",
    "missing-scale": "{name} has standard deviation {std:.3g}, about 1: multiply np.random.randn(...) by 0.01, large "
                     "weights saturate tanh and sigmoid",
    "wrong-scale": "{name} has standard deviation {std:.3g}; expected {want:.3g}",
    "not-centred": "{name} has mean {mean:.3g}, far from 0 for its spread {std:.3g}: draw weights centred at zero",
    "not-gaussian": "the entries of {name} are not normally distributed: {got:.1%} of them lie below {where:+.2f} "
                    "standard deviations, where N(0, {std:.3g}^2) puts {want:.1%} (independent normal draws come "
                    "within {limit:.1%}); matching the mean and the spread is not enough, draw with np.random.randn",
    "xavier-in-shallow": "{name} has standard deviation {std:.3g}, about sqrt(1/{n}): that is Xavier's scale for "
                         "deep networks; this shallow network starts its weights at 0.01 * randn",
    "random-biases": "{name} is not all zeros: biases start at 0 (the random weights already break the symmetry)",
    "reused-draws": "{name} repeats the random numbers of {other} (reseeding before each draw?): draw each matrix "
                    "independently",
    "near-copy-units": "{units} {i} and {j} start as near-copies{mirror} in their {part} (cosine similarity "
                       "{cos:+.4f}; independent "
                       "draws stay within +-{limit:.2f}): units that start alike compute the same function and, as "
                       "the proof shows, gradient descent keeps them alike (the symmetry problem); draw every "
                       "unit's weights independently",
    "dependent-vectors": "{first} and {second} point in nearly the same direction (cosine similarity {cos:+.3f}; "
                         "independent draws stay within +-{limit:.2f}): one was built from the other; every weight "
                         "must be its own independent draw",
    "correlated-draws": "{name} follows {other}{layout} (correlation {r:+.3f}; independent draws stay within "
                        "+-{limit:.3f}): {name} was computed from {other}'s numbers; draw each matrix independently",
    "shared-values": "{count} of the {n} entries of {name} equal entries of {other}, up to sign, a factor "
                     "{scale:.6g} and a relative {delta:.0e} (independent draws give at most {limit}): {name} reuses "
                     "{other}'s random numbers; draw each matrix independently",
    "near-repeated-values": "{count} of the {n} entries of {name} repeat another entry of {name} up to a relative "
                            "{delta:.0e} (independent draws give at most {limit}): weights were copied, with or "
                            "without a small change; draw every weight independently",
    "copied-distribution": "the entries of {name} are those of {other} rearranged (rescaled by {scale:.5f}): their "
                           "counts below {bins} cut points agree to within {gap:g}, closer than independent draws "
                           "ever come; draw each matrix independently",
    "xavier-he-swapped": "layer {layer} with method {method!r} has standard deviation {std:.3g}, which is "
                         "{other}'s scale; {method!r} uses {formula}",
    "scaled-by-n": "layer {layer} with method {method!r} has standard deviation {std:.3g}: scale by the size of "
                   "the previous layer n^[l-1] = {n_prev}, not of this layer n^[l] = {n}",
    "wrong-default-method": "called without a method, layer {layer} has standard deviation {std:.3g}, the scale of "
                            "{found!r}; the default is method='xavier', sqrt(1 / n^[l-1]) = {want:.3g}",
    # forward propagation
    "missing-bias": "{name} equals {without}: the bias {bias} is missing",
    "hidden-activation": "A1 equals {found}(Z1); the hidden layer uses tanh",
    "output-activation": "A2 equals {found}(Z2); the output layer uses sigmoid",
    "inconsistent-output": "the A2 you return differs from cache['A2']",
    "wrong-value": "{name} differs from the expected value {where} (largest difference {diff:.3g})",
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
    "wrong-default-activation": "called without an activation, the mean derivative is {got:.4g} ({found}); the "
                                "default is activation='tanh' ({want:.4g})",
}


class CheckFailed(AssertionError):
    """A failed check: ``key`` names the misconception, ``values`` fill in its ``message``.

    ``str()`` gives the message in lines of at most 70 characters, so that
    ``nbgrader validate``, which cuts every line of its report at 90, shows all of it.
    """

    def __init__(self, key, values):
        self.key = key
        self.values = dict(values)
        self.message = MESSAGES[key].format(**self.values)
        super().__init__(textwrap.fill(self.message, 70, break_on_hyphens=False))

    def __reduce__(self):
        return type(self), (self.key, self.values)


def say(_key, /, **values):
    return MESSAGES[_key].format(**values)


def fail(_key, /, **values):
    raise CheckFailed(_key, values)


def expect(condition, _key, /, **values):
    """Fail with ``_key`` unless ``condition`` holds; unlike ``assert``, it also holds under ``python -O``."""
    if not condition:
        raise CheckFailed(_key, values)


# ================================================================ calling student code
def describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, dict):
        items = ", ".join(f"{k}: {np.shape(v)}" if isinstance(v, np.ndarray) else f"{k}: {v!r}"[:40]
                          for k, v in value.items())
        return f"a dict {{{items}}}"[:200]
    # arrays inside are summarized: a whole array's text would be cut to these 120 characters anyway
    with np.printoptions(threshold=6, edgeitems=2):
        return f"{type(value).__name__} {value!r}"[:120]


def signature(name, args, kwargs=None):
    shown = [describe(a) if isinstance(a, (np.ndarray, dict)) else repr(a) for a in args]
    shown += [f"{k}={v!r}" for k, v in (kwargs or {}).items()]
    return f"{name}({', '.join(shown)})"


@contextlib.contextmanager
def quiet():
    """Silence output and warnings: a correct function that prints or overflows loses nothing."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore")
        stack.enter_context(np.errstate(all="ignore"))
        stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
        stack.enter_context(contextlib.redirect_stderr(io.StringIO()))
        yield


def call(function, *args, **kwargs):
    """Call student code quietly on copies of its arguments; an exception becomes the "raised" failure."""
    name = getattr(function, "__name__", "the function")
    with quiet():
        try:
            return function(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        except Exception as error:
            failure = error
    # an error raised in the grading sandbox arrives as text that already names its type
    text = str(failure) if hasattr(failure, "remote") else f"{type(failure).__name__}: {failure}"
    raise CheckFailed("raised", {"call": signature(name, args, kwargs), "error": text}) from failure


# ================================================================ shapes and values
def expect_dict(value, keys, call_text):
    expect(isinstance(value, dict), "not-a-dict", call=call_text, got=describe(value), keys=", ".join(keys))
    for key in keys:
        expect(key in value, "missing-key", call=call_text, key=key, keys=", ".join(keys))
        expect(isinstance(value[key], np.ndarray), "not-an-array", name=key, got=describe(value[key]))


def expect_shape(array, want, name, rows="", cols=""):
    got = np.shape(array)
    if got == want:
        return
    expect(not (len(want) == 2 and want[1] == 1 and got == (want[0],)), "1d-bias", name=name, got=got, want=want,
           n=want[0])
    axes = f": rows are {rows}, columns are {cols}" if rows and cols else ""
    expect(not (len(want) == 2 and want[0] != want[1] and got == want[::-1]), "transposed", name=name, got=got,
           want=want, axes=axes)
    fail("wrong-shape", name=name, got=got, want=want)


def max_diff(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return float("inf")
    return float(np.max(np.abs(a - b), initial=0.0))


def close(a, b, rtol=1e-6, atol=1e-9):
    a = np.asarray(a)
    return a.shape == np.shape(b) and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def expect_value(got, want, name, where, mistakes=(), rtol=1e-6, atol=1e-9):
    """``got`` must match ``want``; otherwise the first of ``mistakes`` it matches names the failure.

    ``mistakes`` lists ``(value, key, message values)``: what a known mistake would have returned.
    """
    if close(got, want, rtol, atol):
        return
    for value, key, values in mistakes:
        expect(not close(got, value, rtol, atol), key, **values)
    fail("wrong-value", name=name, where=where, diff=max_diff(got, want))


def sigmoid(z):
    # tanh form: the same function, without overflow warnings for large |z|
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


# ================================================================ statistics of random draws
# Every statistical check below fails a correct answer (independent N(0, std^2) draws) with
# probability at most FALSE_FAIL; the bound is proved in each docstring, for every size the
# checks use, not estimated by simulation. Grading a notebook runs about 320 of them (the
# hidden and the visible checks of both initializers), so chance costs a correct notebook
# points with probability below 1e-9.
FALSE_FAIL = 1e-12
MIN_DRAWS = 10_000          # below this the checks test exact properties only
HALF_NORMAL_PEAK = math.sqrt(2 / math.pi)   # the largest density of |Z| for Z ~ N(0, 1)
CDF_ERROR = 1e-7            # |normal_cdf - Phi| <= 7.5e-8 (Abramowitz & Stegun 7.1.26)


def normal_cdf(x):
    """Phi(x) for arrays, to within 7.5e-8 (Abramowitz & Stegun 7.1.26: |erf error| <= 1.5e-7)."""
    x = np.asarray(x, dtype=float)
    z = np.abs(x) / math.sqrt(2)
    t = 1 / (1 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return 0.5 * (1 + np.sign(x) * (1 - poly * np.exp(-z * z)))


@functools.lru_cache(maxsize=None)
def normal_tail_z(p):
    """z with P(|Z| > z) <= p for Z ~ N(0, 1), from the Mills bound P(|Z| > z) <= 2 phi(z) / z."""
    low, high = 1.0, 40.0
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if 2 * math.exp(-mid * mid / 2) / (mid * math.sqrt(2 * math.pi)) > p else (low, mid)
    return high


def kl_bernoulli(a, q):
    total = a * math.log(a / q) if a > 0 else 0.0
    return total + ((1 - a) * math.log((1 - a) / (1 - q)) if a < 1 else 0.0)


@functools.lru_cache(maxsize=None)
def binomial_limit(n, q, p):
    """The least k with P(Binomial(n, q) >= k) <= p, by Chernoff: P(X >= k) <= exp(-n KL(k/n || q)) for k >= nq."""
    target = math.log(1 / p)
    low, high = math.ceil(n * q), n + 1
    while low < high:
        k = (low + high) // 2
        if k > n * q and (k == n + 1 or n * kl_bernoulli(min(k, n) / n, q) >= target):
            high = k
        else:
            low = k + 1
    return low


@functools.lru_cache(maxsize=None)
def chi2_band(dof, p):
    """(low, high) with P(chi2_dof / dof outside) <= 2p, from the Chernoff bounds
    P(chi2_d >= d(1+e)) <= exp(-(d/2)(e - ln(1+e))) and P(chi2_d <= d(1-e)) <= exp(-(d/2)(-e - ln(1-e)))."""
    tail = math.log(1 / p)

    def solve(rate, top):
        low, high = 0.0, top
        for _ in range(80):
            mid = (low + high) / 2
            low, high = (low, mid) if dof / 2 * rate(mid) >= tail else (mid, high)
        return high
    upper = solve(lambda e: e - math.log1p(e), 100.0)
    lower = solve(lambda e: -e - math.log1p(-e), 1.0 - 1e-12)
    return 1 - lower, 1 + upper


def ks_gap(n, p=FALSE_FAIL):
    """Dvoretzky-Kiefer-Wolfowitz with Massart's constant: P(sup |F_n - F| > e) <= 2 exp(-2 n e^2) for every n."""
    return math.sqrt(math.log(2 / p) / (2 * n)) + CDF_ERROR


def cosine_limit(dim, pairs, p=FALSE_FAIL):
    """t with P(some |cos| >= t) <= p over ``pairs`` pairs of independent isotropic vectors in R^dim.

    For one pair, u/|u| is uniform on the sphere and independent of v, so cos is the first
    coordinate of a uniform point, and the cap bound (Ball, "An elementary introduction to
    modern convex geometry", Lemma 2.2) gives P(|cos| >= t) <= 2 exp(-dim t^2 / 2); a union
    bound over the pairs gives t = sqrt(2 ln(2 pairs / p) / dim).
    """
    return math.sqrt(2 * math.log(2 * pairs / p) / dim)


def expect_normal_draws(W, std, name):
    """The entries of W look like independent N(0, std^2) draws: :func:`expect_exact_draws`,
    :func:`expect_draw_statistics`, :func:`expect_no_repeated_draws`, then :func:`expect_normal_shape`."""
    expect_exact_draws(W, name)
    expect_draw_statistics(W, std, name)
    expect_no_repeated_draws(W, name)
    expect_normal_shape(W, std, name)


def expect_exact_draws(W, name):
    """What continuous random draws never break: finite, not all zero, not constant, distinct rows,
    and at least 99% distinct values (two equal draws need two equal 53-bit mantissas)."""
    W = np.asarray(W, dtype=float)
    expect(bool(np.all(np.isfinite(W))), "not-finite", name=name)
    expect(bool(np.any(W != 0)), "zero-weights", name=name)
    expect(np.ptp(W) > 0, "constant-weights", name=name, value=float(W.flat[0]))
    values = len(np.unique(W))
    # rows can repeat only where values do
    if W.ndim == 2 and W.shape[0] > 1 and values < W.size:
        distinct_rows = len(np.unique(W, axis=0))
        expect(distinct_rows == W.shape[0], "repeated-rows", name=name, distinct=distinct_rows, rows=W.shape[0])
    if W.size >= 100:
        expect(values / W.size >= 0.99, "repeated-values", name=name, fraction=values / W.size)


def expect_draw_statistics(W, std, name):
    """With N >= MIN_DRAWS entries, three tests here, one in :func:`expect_no_repeated_draws` and
    one in :func:`expect_normal_shape`, each failing correct draws with probability at most
    p = FALSE_FAIL (so together at most 5p). Let m and s be the sample mean and standard deviation.

    1. spread: (N - 1) s^2 / std^2 is chi-square with N - 1 degrees of freedom; it must lie
       in :func:`chi2_band` (two tails, p/2 each by Chernoff). Below, (lo, hi) is that band.
    2. (:func:`expect_no_repeated_draws`) no entry nearly repeats another.
    3. mean: sqrt(N) m / std is N(0, 1), so |m| <= z std / sqrt(N) with z = normal_tail_z(p)
       (7.13 for p = 1e-12); on event 1, s >= std sqrt(lo), so the scale-free test
       |m| sqrt(N) / s <= z / sqrt(lo) fails only when 1 or 3 does.
    4. shape, one-sigma share: the share of entries within s of m. On events 1 and 3 the
       interval (m - s, m + s) contains (-r, r) std for r = sqrt(lo) - z / sqrt(N); the share
       inside a fixed interval is a binomial proportion, at least its mean minus
       sqrt(ln(1/p) / (2N)) but with probability p (Hoeffding). A uniform distribution puts 58%
       within one standard deviation, a normal one 68%; the test is one-sided (too few inside).
    5. (:func:`expect_normal_shape`) the whole distribution.

    Tests 3 and 4 are scale-free and come first, so a wrong scale is reported as such.
    """
    W = np.asarray(W, dtype=float)
    n = W.size
    if n < MIN_DRAWS:
        return
    mean, s = float(W.mean()), float(W.std(ddof=1))
    low, high = chi2_band(n - 1, FALSE_FAIL / 2)
    z = normal_tail_z(FALSE_FAIL)
    inside = float(np.mean(np.abs(W - mean) < s))
    r_low = math.sqrt(low) - z / math.sqrt(n)
    expect(inside >= math.erf(r_low / math.sqrt(2)) - math.sqrt(math.log(1 / FALSE_FAIL) / (2 * n)),
           "uniform-weights", name=name, inside=inside)
    expect(abs(mean) * math.sqrt(n) / s <= z / math.sqrt(low), "not-centred", name=name, mean=mean, std=s)
    if not low <= (s / std) ** 2 <= high:
        expect(not (0.7 < s < 1.4 and std < 0.1), "missing-scale", name=name, std=s)
        fail("wrong-scale", name=name, std=s, want=std)


def expect_no_repeated_draws(W, name):
    """Test 2 of :func:`expect_draw_statistics`: :func:`expect_no_near_repeats` on W / s. On test 1's
    event, s <= std sqrt(hi), so a tolerance of delta s is at most delta sqrt(hi) std, which the
    bound of :func:`expect_no_near_repeats` allows for with ``inflation = sqrt(hi)``."""
    W = np.asarray(W, dtype=float)
    if W.size < MIN_DRAWS:
        return
    _, high = chi2_band(W.size - 1, FALSE_FAIL / 2)
    expect_no_near_repeats(W / float(W.std(ddof=1)), name, inflation=math.sqrt(high))


def expect_normal_shape(W, std, name):
    """Test 5 of :func:`expect_draw_statistics`: sup_x |F_N(x) - Phi(x / std)| <= :func:`ks_gap`
    (DKW, with the known std), so a mixture tuned to the right mean, spread and one-sigma share
    still fails: it cannot match the normal distribution everywhere."""
    W = np.asarray(W, dtype=float)
    n = W.size
    if n < MIN_DRAWS:
        return
    x = np.sort(W.ravel()) / std
    cdf = normal_cdf(x)
    above = np.arange(1, n + 1) / n - cdf
    below = cdf - np.arange(n) / n
    i, j = int(np.argmax(above)), int(np.argmax(below))
    index, got = (i, (i + 1) / n) if above[i] >= below[j] else (j, j / n)
    limit = ks_gap(n)
    expect(max(above[i], below[j]) <= limit, "not-gaussian", name=name, got=got, where=float(x[index]),
           want=float(cdf[index]), std=std, limit=limit)


def strongest(M):
    """The flat index of M's first entry of largest magnitude, as ``argmax(abs(M))`` finds it, without a copy of M."""
    high, low = int(np.argmax(M)), int(np.argmin(M))
    top, bottom = M.flat[high], -M.flat[low]
    return high if top > bottom else low if bottom > top else min(high, low)


def expect_distinct_units(parts, units):
    """No two units start as near-copies (or mirror images) of each other.

    ``parts`` maps what defines a unit (its incoming weights, its outgoing weights) to a
    matrix with one row per unit, divided by its standard deviation, so a correct answer
    gives independent N(0, I) rows. Each part, and all of them side by side, is tested: every
    pair's |cosine similarity| must stay below :func:`cosine_limit` for the number of pairs
    (for 250 units with 400 weights, 31 125 pairs: 0.44; with 800 weights, 0.31), so each of
    these tests fails correct draws with probability at most FALSE_FAIL. A near-copy has
    cosine near 1, a mirror image (negated weights: the same function, tanh being odd) near -1.
    """
    tests = dict(parts)
    if len(parts) > 1:
        tests[" and ".join(parts)] = np.hstack(list(parts.values()))
    for part, S in tests.items():
        expect_distinct_rows(S, units, part)


def expect_distinct_rows(S, units, part):
    S = np.asarray(S, dtype=float)
    count, dim = S.shape
    pairs = count * (count - 1) // 2
    if pairs == 0:
        return
    limit = cosine_limit(dim, pairs)
    if limit >= 1:
        return
    unit = S / np.maximum(np.linalg.norm(S, axis=1, keepdims=True), 1e-300)
    cos = unit @ unit.T
    np.fill_diagonal(cos, 0.0)
    i, j = np.unravel_index(strongest(cos), cos.shape)
    value = float(cos[i, j])
    expect(abs(value) < limit, "near-copy-units", units=units, i=int(min(i, j)), j=int(max(i, j)), cos=value,
           limit=limit, mirror=" (mirror images)" if value < 0 else "", part=part)


def expect_independent_vectors(matrices):
    """No row or column of one matrix is aligned with a row or column of the same length elsewhere.

    ``matrices`` maps names to matrices divided by their standard deviations. Vectors of
    the same length are compared pairwise (a row and a column of one matrix share an entry,
    so that pair is skipped); every other pair holds independent isotropic Gaussian
    vectors, and the cosine bound of :func:`cosine_limit` applies with a union over all
    compared pairs of that length.
    """
    groups = {}
    for owner, (name, M) in enumerate(matrices.items()):
        M = np.asarray(M, dtype=float)
        for axis, word in ((0, "row"), (1, "column")):
            vectors = M if axis == 0 else M.T
            groups.setdefault(vectors.shape[1], []).append((name, word, owner, axis, vectors))
    for dim, blocks in groups.items():
        V = np.vstack([vectors for *_, vectors in blocks])
        if len(V) < 2:
            continue
        V = V / np.maximum(np.linalg.norm(V, axis=1, keepdims=True), 1e-300)
        starts = np.cumsum([0] + [len(vectors) for *_, vectors in blocks])
        pairs = len(V) * (len(V) - 1) // 2
        # symmetric, so its first largest entry is the first of the upper triangle
        cos = V @ V.T
        np.fill_diagonal(cos, 0.0)
        # a row and a column of one matrix cross at one entry: not independent
        for first, (_, _, owner, axis, _) in enumerate(blocks):
            for second, (_, _, other, other_axis, _) in enumerate(blocks[first + 1:], start=first + 1):
                if owner == other and axis != other_axis:
                    rows, cols = slice(starts[first], starts[first + 1]), slice(starts[second], starts[second + 1])
                    cos[rows, cols] = cos[cols, rows] = 0.0
                    pairs -= (starts[first + 1] - starts[first]) * (starts[second + 1] - starts[second])
        if pairs == 0:
            continue
        limit = cosine_limit(dim, pairs)
        if limit >= 1:
            continue
        i, j = sorted(np.unravel_index(strongest(cos), cos.shape))
        expect(abs(cos[i, j]) < limit, "dependent-vectors", first=vector_name(blocks, i), second=vector_name(blocks, j),
               cos=float(cos[i, j]), limit=limit)


def vector_name(blocks, index):
    """ "row 3 of W1": the ``index``-th vector of the stacked ``blocks``."""
    for name, word, _, _, vectors in blocks:
        if index < len(vectors):
            return f"{word} {index} of {name}"
        index -= len(vectors)
    raise IndexError(index)


# -- near-repeated values -------------------------------------------------------------------
# Two tiers of closeness: tight (few copies with a tiny change) and loose (many copies with a
# larger change). q is the chance that one value falls near the others under independence.
REPEAT_TIERS = (1e-3, 3e-2)


def near_repeats(order, gaps, delta):
    """How many values lie within ``delta`` of an earlier one (by index) that is next to it in sorted order.

    ``order`` sorts the values and ``gaps`` are the differences of the sorted values.
    """
    near = gaps <= delta
    later = np.maximum(order[:-1], order[1:])[near]
    return int(np.unique(later).size)


def expect_no_near_repeats(Z, name, inflation=1.0):
    """No entry of Z (divided by its standard deviation) nearly repeats another one, up to sign.

    For Z = W / std with the true std, v = |Z| has density at most sqrt(2/pi); when Z was
    divided by an estimate at most ``inflation`` times the true std, a tolerance delta is at
    most inflation * delta in true units. Reveal the N values in index order: given the
    earlier ones, value t lies within that tolerance of one of them with probability at most
    q = N 2 inflation delta sqrt(2/pi), whatever they were, so the number K of such values is
    dominated by Binomial(N, q), and the count this function makes is at most K. For each
    tier q it sets delta = q / (2 N inflation sqrt(2/pi)) and fails when the count reaches
    :func:`binomial_limit`(N, q, p/2): for N = 100 000, delta = 6.2e-9 with at most 184 repeats,
    and delta = 1.8e-7 with at most 3 414 (3.4%).
    """
    v = np.abs(np.asarray(Z, dtype=float)).ravel()
    n = v.size
    if n < MIN_DRAWS:
        return
    order = np.argsort(v)
    gaps = np.diff(v[order])
    for q in REPEAT_TIERS:
        delta = q / (2 * n * inflation * HALF_NORMAL_PEAK)
        limit = binomial_limit(n, q, FALSE_FAIL / len(REPEAT_TIERS))
        count = near_repeats(order, gaps, delta)
        expect(count < limit, "near-repeated-values", name=name, count=count, n=n, delta=delta, limit=limit)


# -- two matrices ---------------------------------------------------------------------------
# Eight layouts of a matrix: row- or column-major, each with or without its rows and its columns
# reversed. Reversing both reverses the whole layout, so they come in four pairs of a layout and
# its reversal: (row-major, reversed), (rows reversed, columns reversed), and the same column-major.
LAYOUTS = {"": lambda M: M, " laid out as its transpose": lambda M: M.T}
FLIP_PAIRS = ((("", lambda M: M), (", reversed", None)),
              ((", rows reversed", lambda M: M[::-1]), (", columns reversed", None)))


def aligned_correlation(A, B):
    """The strongest correlation between a layout of A and B, over every cyclic shift.

    Returns (r, description, length, positions, swapped). Eight layouts of the smaller
    matrix (row- or column-major, each with or without reversing its rows and columns) are
    compared with the larger one, row-major, at every cyclic shift of the larger one, with
    FFTs; ``swapped`` says that B was the smaller one, so the layout describes B. A layout
    x of length L and its reversal share one transform: with X = FFT(x) and Y = FFT(y),
    IFFT(conj(X) Y) correlates x with y at every shift, IFFT(X Y) convolves them, and the
    reversal's correlation at shift k is that convolution at k + L - 1.
    """
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    swapped = A.size > B.size
    if swapped:
        A, B = B, A
    y = B.ravel()
    length, positions = A.size, y.size
    spectrum = np.fft.rfft(y)
    squares = np.concatenate([[0.0], np.cumsum(np.concatenate([y, y[:length]]) ** 2)])
    window = np.sqrt(np.maximum(squares[length:length + positions] - squares[:positions], 1e-300))
    # every layout holds the same entries, so the same norm
    norm = max(math.sqrt(float(np.sum(A * A))), 1e-300)
    names, layouts = [], []
    for layout_name, layout in LAYOUTS.items():
        for (name, flip), (reversed_name, _) in FLIP_PAIRS:
            names.append((layout_name + name, layout_name + reversed_name))
            layouts.append(layout(flip(A)).ravel())
    X = np.fft.rfft(np.array(layouts), positions, axis=1)
    both = np.empty((2 * len(layouts), X.shape[1]), dtype=X.dtype)
    np.conjugate(X, out=both[:len(layouts)])
    both[:len(layouts)] *= spectrum
    np.multiply(X, spectrum, out=both[len(layouts):])
    r = np.fft.irfft(both, positions, axis=1)
    scale = window * norm
    r[:len(layouts)] /= scale
    # the reversals' rows stay in convolution order: their shift k is at column k + length - 1
    r[len(layouts):] /= np.roll(scale, length - 1)
    row = int(np.argmax(np.maximum(r.max(axis=1), -r.min(axis=1))))
    values = r[row] if row < len(layouts) else np.roll(r[row], -(length - 1))
    k = strongest(values)
    name = names[row % len(layouts)][row // len(layouts)]
    shift = f" shifted by {k} entries" if k else ""
    return float(values[k]), name + shift, length, positions, swapped


def correlation_limit(length, positions, p=FALSE_FAIL):
    """Given B, a layout of A is an isotropic Gaussian vector of the short length L, so each of the
    8 layouts x ``positions`` shifts has P(|r| >= t) <= 2 exp(-L t^2 / 2) (:func:`cosine_limit`);
    the union bound gives t = sqrt(2 ln(16 positions / p) / L): 0.029 for 100 000 entries each."""
    return cosine_limit(length, len(LAYOUTS) * 2 * len(FLIP_PAIRS) * positions, p)


SCALE_RANGE = (0.9, 1.1)    # a rescaled copy outside this range fails the spread test already
U_MAX = 5.0                 # entries beyond 5 standard deviations are left out of the comparison
SHARED_TIERS = (1e-3, 3e-2)


SCALE_PICKS = (48, 0.93, 0.995)    # entries of v between these quantiles look for their scaled match in u
SCALE_SUPPORT = 9                   # picks that must agree on one scale for it to be tried


def scale_candidates(u_sorted, v_sorted, delta):
    """1, and the scale a that maps the most of a few large entries of v onto entries of u, if one stands out.

    Each pick is compared with every entry of u within SCALE_RANGE of it. Large entries are
    picked because u is sparse there: the ratios that agree by chance stay below SCALE_SUPPORT,
    while reusing 30% of u at any scale makes about 14 picks agree. (Central entries have so many
    neighbours that chance agreements there rival a 60% reuse.) Which scales are tried changes only
    what is found: the bound of :func:`expect_no_shared_values` holds for every scale.
    """
    samples, low, high = SCALE_PICKS
    picks = v_sorted[np.linspace(low * (v_sorted.size - 1), high * (v_sorted.size - 1), samples).astype(int)]
    picks = picks[picks > 0]
    if picks.size == 0:
        return [1.0]
    starts = np.searchsorted(u_sorted, picks / SCALE_RANGE[1])
    ends = np.searchsorted(u_sorted, picks / SCALE_RANGE[0])
    # the windows of u overlap: the logarithms of their union are taken once
    base = int(starts.min())
    log_u = np.log(u_sorted[base:max(base, int(ends.max()))])
    ratios = np.sort(np.concatenate([math.log(value) - log_u[start - base:end - base]
                                     for value, start, end in zip(picks, starts, ends)]))
    width = 3 * delta / picks.min()
    # A window from ratios[i] holds SCALE_SUPPORT of them exactly when ratios[i + SCALE_SUPPORT - 1] is in it;
    # independent draws almost never have one, and only then are the windows counted.
    reach = SCALE_SUPPORT - 1
    if ratios.size < SCALE_SUPPORT or not np.any(ratios[reach:] < ratios[:ratios.size - reach] + width):
        return [1.0]
    counts = np.searchsorted(ratios, ratios + width) - np.arange(ratios.size)
    k = int(np.argmax(counts))
    return [1.0, float(np.clip(math.exp(ratios[k] + width / 2), *SCALE_RANGE))]


def nearest_distances(u_sorted, v, scale):
    """For each entry of v, its distance to the nearest entry of ``scale`` times u."""
    target = u_sorted * scale
    right = np.clip(np.searchsorted(target, v), 0, target.size - 1)
    left = np.clip(right - 1, 0, target.size - 1)
    return np.minimum(np.abs(target[right] - v), np.abs(target[left] - v))


def magnitudes(M):
    """The absolute values of M's entries, in increasing order; the tests below take these."""
    return np.sort(np.abs(np.asarray(M, dtype=float)).ravel())


def kept_magnitudes(u):
    """Those of ``magnitudes`` at most U_MAX."""
    return u[:np.searchsorted(u, U_MAX, side="right")]


def expect_no_shared_values(u, v, name, other, at_one=None):
    """B reuses no values of A, up to sign and a common scale, even with a tiny change.

    With u = |A| (entries <= U_MAX kept, n_u of them) and v = |B| (n_v), both divided by
    their standard deviations, K(a) counts entries of v within delta of a * u. Over every a in
    SCALE_RANGE: take a grid of spacing delta/5 (1/delta points); the nearest grid point a'
    has |v - a' u| <= delta + U_MAX delta/10 < 2 delta. Given A, each entry of v lies within
    2 delta of some a' u with probability at most q = n_u 4 delta sqrt(2/pi), independently,
    so K(a) >= k for some a has probability at most (1/delta) P(Binomial(n_v, q) >= k). For
    each tier q, delta = q / (4 sqrt(2/pi) n_u) and the limit is :func:`binomial_limit` at
    p delta / 2: for 100 000 entries each, delta = 3.1e-9 with at most 212 shared entries, and
    delta = 9.4e-8 with at most 3 522 (3.5%). It takes u = ``magnitudes(A)`` and
    v = ``magnitudes(B)``, and ``at_one``, if given, the distances of v to the kept u at scale 1.
    """
    u = kept_magnitudes(u)
    if u.size < MIN_DRAWS or v.size < MIN_DRAWS:
        return
    deltas = [q / (4 * HALF_NORMAL_PEAK * u.size) for q in SHARED_TIERS]
    # the bound holds for every scale, so the candidates may come from the loosest tolerance
    for scale in scale_candidates(u, v, max(deltas)):
        distances = nearest_distances(u, v, scale) if scale != 1.0 or at_one is None else at_one
        for q, delta in zip(SHARED_TIERS, deltas):
            limit = binomial_limit(v.size, q, FALSE_FAIL * delta / len(SHARED_TIERS))
            count = int(np.count_nonzero(distances <= delta))
            expect(count < limit, "shared-values", name=name, other=other, count=count, n=v.size, scale=scale,
                   delta=delta, limit=limit)


COPY_BINS = 64                      # cut points for the rearranged-copy test
COPY_SHARE = 0.75                   # they split the lower 75% of |N(0, 1)| into equal parts
COPY_GRID = (0.9, 2e-5, 10_001)     # scales 0.9, 0.90002, ..., 1.1


def half_normal_quantile(level):
    low, high = 0.0, 40.0
    for _ in range(100):
        mid = (low + high) / 2
        low, high = (mid, high) if math.erf(mid / math.sqrt(2)) < level else (low, mid)
    return high


COPY_CUTS = np.array([half_normal_quantile(COPY_SHARE * k / COPY_BINS) for k in range(1, COPY_BINS + 1)])


def log_binomial_mode(m, pi):
    """ln of the largest probability of Binomial(m, pi), exactly (the mode is floor((m + 1) pi))."""
    k = min(m, math.floor((m + 1) * pi))
    return (math.lgamma(m + 1) - math.lgamma(k + 1) - math.lgamma(m - k + 1) + k * math.log(pi)
            + (m - k) * math.log1p(-pi))


@functools.lru_cache(maxsize=None)
def copy_tolerance(n, p=FALSE_FAIL):
    """The largest count tolerance g (at most 4) for which the rearranged-copy test is rigorous, or 0.

    Let v be n entries |B| / std whose signed version passed the DKW test of
    :func:`expect_normal_draws`, so the share of v below any c is within e = 2 ks_gap(n) of
    F(c) = erf(c / sqrt 2). S_k counts v below the k-th cut c_k = F^-1(0.75 k / 64). Given A,
    the test fails when, for some grid scale a, |S_k - T_k(a)| <= g for every k, the targets
    T_k(a) being fixed by A. Then each bin count N_k = S_k - S_(k-1) lies in a window of at
    most 4g + 1 integers. Given S_(k-1) = s, N_k is Binomial(n - s, pi_k) with
    pi_k = (0.75/64) / (1 - 0.75 (k-1)/64), and s <= n (0.75 (k-1)/64 + e) on the DKW event;
    the largest binomial probability does not grow with the number of trials (each
    probability at m + 1 trials averages two at m), so
    P <= 10 001 * prod_k min(1, (4g + 1) * mode(Binomial(n (1 - 0.75 (k-1)/64 - e), pi_k))),
    computed exactly with lgamma. For 100 000 entries g = 4 gives 8e-41, for 24 000 g = 4
    gives 3e-20, and for 12 000 g = 3 gives 2e-17.
    """
    e = 2 * ks_gap(n)
    best = 0
    for g in range(1, 5):
        total = math.log(COPY_GRID[2])
        for k in range(COPY_BINS):
            done = COPY_SHARE * k / COPY_BINS
            trials = math.floor(n * (1 - done - e))
            if trials < 1:
                return best
            total += min(0.0, math.log(4 * g + 1) + log_binomial_mode(trials, COPY_SHARE / COPY_BINS / (1 - done)))
        if total <= math.log(p):
            best = g
    return best


def expect_not_rearranged(u, v, name, other):
    """B's entries are not A's entries rearranged, up to sign, a common scale and a small change.

    It takes u = ``magnitudes(A)`` and v = ``magnitudes(B)``. Call it only after
    :func:`expect_normal_draws` passed for B (the bound in :func:`copy_tolerance` uses that).
    Independent draws differ by hundreds of counts below some cut point; a rearranged copy
    matches at every cut for the right scale.
    """
    g = copy_tolerance(v.size)
    if g == 0 or u.size < MIN_DRAWS:
        return
    counts = np.searchsorted(v, COPY_CUTS, side="right")
    start, step, size = COPY_GRID
    centre = math.sqrt(np.mean(v ** 2) / np.mean(u ** 2))
    middle = int(round((centre - start) / step))
    # a rearranged copy has exactly the centre's scale; the bound counts the whole grid anyway
    grid = np.arange(max(0, middle - 50), min(size, middle + 51))
    if grid.size == 0:
        return
    scales = start + grid * step
    targets = np.searchsorted(u, COPY_CUTS[None, :] / scales[:, None], side="right") * (v.size / u.size)
    gaps = np.max(np.abs(counts[None, :] - targets), axis=1)
    k = int(np.argmin(gaps))
    expect(gaps[k] > g, "copied-distribution", name=name, other=other, scale=float(scales[k]), bins=COPY_BINS,
           gap=float(gaps[k]))


def share_found(B, A):
    """The share of B's entries that are also entries of A (NaN is never found)."""
    a, b = np.sort(np.ravel(A)), np.sort(np.ravel(B))
    if a.size == 0 or b.size == 0:
        return 0.0
    return float(np.mean(a[np.minimum(np.searchsorted(a, b), a.size - 1)] == b))


def expect_unrelated(A, B, name, other):
    """B was drawn independently of A; both divided by their standard deviations.

    Exact reuse first, then correlation in any aligned layout, a rearranged copy of the
    whole set of values, and reused values (up to sign, scale and a tiny change).
    """
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    if min(A.size, B.size) < MIN_DRAWS:
        expect(share_found(B, A) < 0.5, "reused-draws", name=name, other=other)
        return
    u, v = magnitudes(A), magnitudes(B)
    kept = kept_magnitudes(u)
    at_one = nearest_distances(kept, v, 1.0) if kept.size else np.full(v.size, np.inf)
    # an entry of B equal to one of A has its magnitude: they are matched exactly only if half could be
    if np.count_nonzero(at_one == 0) + np.count_nonzero(v > U_MAX) >= 0.5 * v.size:
        expect(share_found(B, A) < 0.5, "reused-draws", name=name, other=other)
    r, layout, length, positions, swapped = aligned_correlation(A, B)
    limit = correlation_limit(length, positions)
    follower, leader = (other, name) if swapped else (name, other)
    expect(abs(r) < limit, "correlated-draws", name=follower, other=leader, layout=layout, r=r, limit=limit)
    expect_not_rearranged(u, v, name, other)
    expect_no_shared_values(u, v, name, other, at_one)


# ================================================================ initialization
SHALLOW_STD = 0.01
PARAMETER_KEYS = ("W1", "b1", "W2", "b2")


def expect_parameters(initialize_parameters, n_x, n_h, n_y):
    """A dict of W1, b1, W2, b2 with the right shapes and zero biases; returns it."""
    call_text = signature("initialize_parameters", (n_x, n_h, n_y))
    result = call(initialize_parameters, n_x, n_h, n_y)
    expect_dict(result, PARAMETER_KEYS, call_text)
    expect_shape(result["W1"], (n_h, n_x), "W1", rows="hidden units (n_h)", cols="inputs (n_x)")
    expect_shape(result["b1"], (n_h, 1), "b1")
    expect_shape(result["W2"], (n_y, n_h), "W2", rows="outputs (n_y)", cols="hidden units (n_h)")
    expect_shape(result["b2"], (n_y, 1), "b2")
    for bias in ("b1", "b2"):
        expect(bool(np.all(result[bias] == 0)), "random-biases", name=bias)
    return result


def expect_initial_draws(initialize_parameters, n_x, n_h, n_y):
    """Independent N(0, 0.01^2) weights and hidden units that all differ, on a network large enough to tell."""
    parameters = expect_parameters(initialize_parameters, n_x, n_h, n_y)
    W1, W2 = (np.asarray(parameters[key], dtype=float) for key in ("W1", "W2"))
    for name, W, n_prev in (("W1", W1, n_x), ("W2", W2, n_h)):
        std = float(np.std(W))
        expect(not math.isclose(std, math.sqrt(1 / n_prev), rel_tol=0.05), "xavier-in-shallow", name=name, std=std,
               n=n_prev)
    for name, W in (("W1", W1), ("W2", W2)):
        expect_exact_draws(W, name)
        expect_draw_statistics(W, SHALLOW_STD, name)
    Z1, Z2 = W1 / SHALLOW_STD, W2 / SHALLOW_STD
    # a hidden unit is its incoming weights, its (zero) bias and its outgoing weights
    expect_distinct_units({"incoming weights W1[i, :]": Z1, "outgoing weights W2[:, i]": Z2.T}, "hidden units")
    for name, W in (("W1", W1), ("W2", W2)):
        expect_no_repeated_draws(W, name)
        expect_normal_shape(W, SHALLOW_STD, name)
    expect_unrelated(Z1, Z2, "W2", "W1")
    expect_independent_vectors({"W1": Z1, "W2": Z2})


def deep_scale(method, n_prev):
    return {"small": 0.01, "xavier": math.sqrt(1 / n_prev), "he": math.sqrt(2 / n_prev)}[method]


def expect_deep_parameters(initialize_parameters_deep, layer_dims, method=None):
    """One W and one zero b per layer, with the right shapes; returns them (``method=None``: the default)."""
    args = (layer_dims,) if method is None else (layer_dims, method)
    call_text = signature("initialize_parameters_deep", args)
    result = call(initialize_parameters_deep, *args)
    keys = [f"{kind}{layer}" for layer in range(1, len(layer_dims)) for kind in "Wb"]
    expect_dict(result, keys, call_text)
    for layer in range(1, len(layer_dims)):
        n_prev, n = layer_dims[layer - 1], layer_dims[layer]
        expect_shape(result[f"W{layer}"], (n, n_prev), f"W{layer}", rows=f"units of layer {layer}",
                     cols=f"units of layer {layer - 1}")
        expect_shape(result[f"b{layer}"], (n, 1), f"b{layer}")
        expect(bool(np.all(result[f"b{layer}"] == 0)), "random-biases", name=f"b{layer}")
    return result


def diagnose_deep_scale(W, method, layer, n_prev, n):
    """Name the two classic scale mix-ups before the statistical tests report a number.

    The layer sizes the checks use keep every pair of scales more than 5% apart, and the
    sample standard deviation of >= 24 000 draws is within 1% of the true one.
    """
    std = float(np.std(W))
    if method == "small" or not np.isfinite(std) or std == 0:
        return
    other, other_scale = ("he", math.sqrt(2 / n_prev)) if method == "xavier" else ("xavier", math.sqrt(1 / n_prev))
    formula = "sqrt(1 / n^[l-1])" if method == "xavier" else "sqrt(2 / n^[l-1])"
    expect(not math.isclose(std, other_scale, rel_tol=0.05), "xavier-he-swapped", layer=layer, method=method,
           std=std, other=other, formula=formula)
    factor = 1 if method == "xavier" else 2
    expect(not math.isclose(std, math.sqrt(factor / n), rel_tol=0.05), "scaled-by-n", layer=layer, method=method,
           std=std, n_prev=n_prev, n=n)


def expect_default_method(initialize_parameters_deep, layer_dims):
    """Called without a method, every layer has Xavier's scale."""
    parameters = expect_deep_parameters(initialize_parameters_deep, layer_dims)
    for layer in range(1, len(layer_dims)):
        n_prev = layer_dims[layer - 1]
        std, want = float(np.std(parameters[f"W{layer}"])), deep_scale("xavier", n_prev)
        if math.isclose(std, want, rel_tol=0.05):
            continue
        for found in ("small", "he"):
            expect(not math.isclose(std, deep_scale(found, n_prev), rel_tol=0.05), "wrong-default-method",
                   layer=layer, std=std, found=found, want=want)
        fail("wrong-scale", name=f"W{layer} (no method given)", std=std, want=want)


def expect_deep_draws(initialize_parameters_deep, layer_dims, method):
    """Every layer holds independent draws of its method's scale, and no layer is built from another."""
    parameters = expect_deep_parameters(initialize_parameters_deep, layer_dims, method)
    L = len(layer_dims) - 1
    weights, standard = {}, {}
    for layer in range(1, L + 1):
        n_prev, n = layer_dims[layer - 1], layer_dims[layer]
        name, want = f"W{layer} ({method})", deep_scale(method, n_prev)
        weights[name] = np.asarray(parameters[f"W{layer}"], dtype=float)
        diagnose_deep_scale(weights[name], method, layer, n_prev, n)
        expect_exact_draws(weights[name], name)
        expect_draw_statistics(weights[name], want, name)
        standard[name] = weights[name] / want
    names = list(standard)
    for layer in range(1, L + 1):
        # a unit of layer l is its row of W[l] and its column of W[l+1]
        parts = {f"incoming weights W{layer}[i, :]": standard[names[layer - 1]]}
        if layer < L:
            parts[f"outgoing weights W{layer + 1}[:, i]"] = standard[names[layer]].T
        expect_distinct_units(parts, f"units of layer {layer} ({method})")
    for layer, name in enumerate(names, start=1):
        expect_no_repeated_draws(weights[name], name)
        expect_normal_shape(weights[name], deep_scale(method, layer_dims[layer - 1]), name)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            expect_unrelated(standard[first], standard[second], second, first)
    expect_independent_vectors(standard)


# ================================================================ propagation
def diagnose_forward(result, call_text, want, without_b1, without_b2):
    """Name what is wrong in ``forward_propagation``'s ``result``, given the right ``want`` (Z1, A1, Z2, A2)
    and what Z1 and Z2 would be without their biases."""
    expect(isinstance(result, tuple) and len(result) == 2, "not-a-pair", call=call_text, got=describe(result))
    A2, cache = result
    expect_dict(cache, ("Z1", "A1", "Z2", "A2"), call_text + "[1]")
    for key in ("Z1", "A1", "Z2", "A2"):
        expect_shape(cache[key], np.shape(want[key]), f"cache[{key!r}]")
    where = "for these inputs"
    expect_value(cache["Z1"], want["Z1"], "Z1", where,
                 [(without_b1, "missing-bias", dict(name="Z1", without="W1 @ X", bias="b1"))])
    expect_value(cache["A1"], want["A1"], "A1", where,
                 [(activation(want["Z1"]), "hidden-activation", dict(found=found))
                  for found, activation in (("sigmoid", sigmoid), ("relu", relu), ("the identity", identity))])
    expect_value(cache["Z2"], want["Z2"], "Z2", where,
                 [(without_b2, "missing-bias", dict(name="Z2", without="W2 @ A1", bias="b2"))])
    expect_value(cache["A2"], want["A2"], "cache['A2']", where,
                 [(activation(want["Z2"]), "output-activation", dict(found=found))
                  for found, activation in (("tanh", np.tanh), ("relu", relu), ("the identity", identity))])
    expect(isinstance(A2, np.ndarray), "not-an-array", name="A2", got=describe(A2))
    expect(close(A2, want["A2"]), "inconsistent-output")


def relu(z):
    return np.maximum(z, 0)


def identity(z):
    return z


def diagnose_cost(cost, call_text, want, m, mistakes):
    """Name what is wrong with ``compute_cost``'s value; ``mistakes`` as in :func:`expect_value`."""
    if isinstance(cost, np.ndarray):
        expect(cost.ndim == 0, "cost-not-scalar", call=call_text, got=cost.shape)
    expect(isinstance(cost, (float, int, np.number, np.ndarray)) and not isinstance(cost, (bool, np.bool_)),
           "not-a-number", call=call_text, got=describe(cost))
    got = float(cost)
    if np.isclose(got, want, rtol=1e-6, atol=1e-9):
        return
    expect(not np.isclose(got, -want), "cost-sign", got=got)
    expect(not (m > 1 and np.isclose(got, want * m)), "cost-missing-mean", m=m)
    for value, key, values in mistakes:
        expect(not np.isclose(got, value), key, **values)
    fail("wrong-value", name="the cost", where=for_examples(m), diff=abs(got - want))


def for_examples(m):
    """Where a cost was computed, for a message: "for 3 examples"."""
    return f"for {m} example{'s' if m != 1 else ''}"


GRADIENT_KEYS = ("dW1", "db1", "dW2", "db2")


def diagnose_backward(grads, call_text, parameters, want, m, variants, where):
    """Name what is wrong in ``backward_propagation``'s ``grads``.

    ``want`` holds the right gradients, ``variants`` maps a misconception to the dW1 and db1 it
    would produce, ``where`` says where ``want`` comes from.
    """
    expect_dict(grads, GRADIENT_KEYS, call_text)
    for key in GRADIENT_KEYS:
        got, expected_shape = grads[key], np.shape(parameters[key[1:]])
        expect(not (key.startswith("db") and np.shape(got) == (expected_shape[0],)), "bias-grad-keepdims", name=key,
               got=np.shape(got), want=expected_shape)
        expect_shape(got, expected_shape, key)
    for key in ("dW2", "db2", "dW1", "db1"):
        # only dW2 and db2 checked so far: a sign error from here on lives in the tanh derivative
        sign_key = "tanh-derivative-sign" if key in ("dW1", "db1") else "grad-sign"
        mistakes = [(-want[key], sign_key, dict(name=key)), (want[key] * m, "grad-missing-mean", dict(name=key, m=m))]
        mistakes += [(variant[key], misconception, {}) for misconception, variant in variants.items() if key in variant]
        expect_value(np.asarray(grads[key], dtype=float), want[key], key, where, mistakes, rtol=1e-5, atol=1e-8)


def numerical_gradients(cost_of, parameters, eps=1e-6):
    """Central differences (J(p + eps) - J(p - eps)) / (2 eps) for every entry of every parameter."""
    grads = {}
    for key, value in parameters.items():
        grad = np.zeros(np.shape(value))
        for index in np.ndindex(grad.shape):
            costs = []
            for step in (eps, -eps):
                moved = {k: np.array(v, dtype=float) for k, v in parameters.items()}
                moved[key][index] += step
                costs.append(cost_of(moved))
            grad[index] = (costs[0] - costs[1]) / (2 * eps)
        grads["d" + key] = grad
    return grads


def diagnose_update(update_parameters, parameters, grads, rate):
    """``update_parameters`` makes one step with ``rate`` (``None``: called without it, so 1.2)."""
    args = (parameters, grads) if rate is None else (parameters, grads, rate)
    used = 1.2 if rate is None else rate
    call_text = signature("update_parameters", args)
    updated = call(update_parameters, *args)
    expect(updated is not None, "returned-none", call=call_text)
    expect_dict(updated, PARAMETER_KEYS, call_text)
    for key in PARAMETER_KEYS:
        before, step = parameters[key], grads["d" + key]
        got = np.asarray(updated[key], dtype=float)
        expect_shape(got, np.shape(before), key)
        if close(got, before - used * step):
            continue
        expect(not close(got, before), "bias-not-updated" if key.startswith("b") else "not-updated", name=key)
        expect(not close(got, before + used * step), "gradient-ascent", name=key)
        for other in (1.0, 1.2, 0.01, 0.1):
            if close(got, before - other * step):
                fail("wrong-default-rate" if rate is None else "ignores-learning-rate", name=key, used=other,
                     given=used)
        fail("wrong-value", name=key, where="after the update", diff=max_diff(got, before - used * step))


# ================================================================ symmetry
def random_network(rng, n_x, n_h, n_y, scale=0.5):
    """Parameters whose units all differ: every entry drawn independently."""
    return {"W1": rng.normal(0, scale, (n_h, n_x)), "b1": rng.normal(0, scale, (n_h, 1)),
            "W2": rng.normal(0, scale, (n_y, n_h)), "b2": rng.normal(0, scale, (n_y, 1))}


def symmetric_network(rng, n_x, n_h, n_y):
    """Parameters whose units are all the same unit: one random row, bias and outgoing column, repeated."""
    row, bias, column = rng.uniform(-1, 1, (1, n_x)), rng.uniform(-1, 1), rng.uniform(-1, 1, (n_y, 1))
    return {"W1": np.repeat(row, n_h, axis=0), "b1": np.full((n_h, 1), bias),
            "W2": np.repeat(column, n_h, axis=1), "b2": rng.uniform(-1, 1, (n_y, 1))}


def constant_network(n_x, n_h, n_y, value):
    return {"W1": np.full((n_h, n_x), value), "b1": np.zeros((n_h, 1)),
            "W2": np.full((n_y, n_h), value), "b2": np.zeros((n_y, 1))}


def with_units(parameters, order):
    """The same network with its hidden units listed in ``order`` (repeats allowed)."""
    return {"W1": parameters["W1"][order], "b1": parameters["b1"][order],
            "W2": parameters["W2"][:, order], "b2": parameters["b2"]}


def count_cases(rng):
    """(arguments, the right count, what the case tests) for ``count_distinct_units``.

    Units either agree to within tol / 2 or differ by at least 3 tol, so every way of
    grouping them gives the same count.
    """
    def symmetric(n_x, n_h, n_y):
        return symmetric_network(rng, n_x, n_h, n_y)

    def unit(n_h):
        return int(rng.integers(n_h))

    base = random_network(rng, 3, 5, 2)
    only_w1, only_b1, only_w2 = symmetric(3, 4, 1), symmetric(3, 4, 1), symmetric(3, 4, 1)
    only_w1["W1"][unit(4), unit(3)] += 0.2
    only_b1["b1"][unit(4), 0] -= 0.2
    only_w2["W2"][0, unit(4)] += 0.2
    second_output = symmetric(2, 5, 3)
    second_output["W2"][1, unit(5)] += 0.2
    near, coarse, above_default, below_default = (symmetric(3, 4, 2) for _ in range(4))
    near["W1"][unit(4), unit(3)] += 1e-11
    coarse["W1"][unit(4), unit(3)] += 1e-4
    above_default["b1"][unit(4), 0] += 3e-8
    below_default["W2"][1, unit(4)] += 5e-9
    large = symmetric(3, 4, 2)
    large["W1"] *= 200
    large["W1"][unit(4), unit(3)] += 1e-6
    straddle = symmetric(2, 2, 1)
    straddle["W1"][:, 0] = [0.3 + 0.5e-8 - 1e-12, 0.3 + 0.5e-8 + 1e-12]
    mirrored = symmetric(2, 4, 1)
    mirrored["W1"][unit(4)] *= -1
    return [
        ((constant_network(2, 4, 1, 0.0),), 1, "all-zero parameters"),
        ((constant_network(3, 6, 2, float(rng.uniform(0.2, 0.8))),), 1, "every weight equal to one constant"),
        ((base,), 5, "five random units"),
        ((with_units(base, [2, 0, 2, 4, 0, 2]),), 3, "three random units, repeated in shuffled order"),
        ((symmetric(4, 1, 2),), 1, "a single hidden unit"),
        ((only_w1,), 2, "units that differ only in one incoming weight W1[i, j]"),
        ((only_b1,), 2, "units that differ only in their bias b1[i]"),
        ((only_w2,), 2, "units that differ only in their outgoing weight W2[:, i]"),
        ((second_output,), 2, "units that differ only in their weight to the second output, W2[1, i]: "
                              "unit i's outgoing weights are the column W2[:, i]"),
        ((mirrored,), 2, "a unit whose incoming weights are the negatives of the others'"),
        ((near,), 1, "units that differ by 1e-11, below the default tol=1e-8"),
        ((below_default,), 1, "units that differ by 5e-9, below the default tol=1e-8"),
        ((above_default,), 2, "units that differ by 3e-8, above the default tol=1e-8"),
        ((coarse,), 2, "units that differ by 1e-4, above the default tol"),
        ((coarse, 1e-3), 1, "units that differ by 1e-4 with tol=1e-3"),
        ((below_default, 1e-9), 2, "units that differ by 5e-9 with tol=1e-9"),
        ((large,), 2, "units of size about 100 that differ by 1e-6: tol is absolute, not relative"),
        ((straddle,), 1, "units that differ by 2e-12, on either side of a multiple of tol"),
    ]


def check_count_cases(count_distinct_units, cases):
    for args, want, case in cases:
        got = call(count_distinct_units, *args)
        call_text = signature("count_distinct_units", args)
        expect(isinstance(got, (int, np.integer)) and not isinstance(got, (bool, np.bool_)), "wrong-count",
               call=call_text, got=describe(got), want=want, case=case + "; return an int")
        expect(got == want, "wrong-count", call=call_text, got=got, want=want, case=case)


INDUCTIVE_KEYS = ("A1", "dW1", "dW2", "next")


def symmetric_step(rng, n_x=3, n_h=4, n_y=2, m=5):
    """(parameters, cache, grads) in which every link of the chain holds: all units alike, and alike gradients."""
    parameters = symmetric_network(rng, n_x, n_h, n_y)
    cache = {"A1": np.repeat(rng.uniform(-0.9, 0.9, (1, m)), n_h, axis=0)}
    grads = {"dW1": np.repeat(rng.normal(0, 0.3, (1, n_x)), n_h, axis=0),
             "db1": np.full((n_h, 1), rng.normal(0, 0.3)),
             "dW2": np.repeat(rng.normal(0, 0.3, (n_y, 1)), n_h, axis=1),
             "db2": rng.normal(0, 0.3, (n_y, 1))}
    return parameters, cache, grads


def inductive_cases(rng):
    """(arguments, the right report, what the case tests) for ``inductive_step``.

    Each case starts from a step in which every link holds and changes one input, so each
    input that can decide a verdict on its own is tried alone.
    """
    rate = round(float(rng.uniform(0.3, 1.5)), 2)
    all_true = dict(A1=True, dW1=True, dW2=True, next=True)
    cases = [((*symmetric_step(rng), rate), all_true, "every unit and every gradient row is the same")]

    def changed(where, key, index, amount, want, case, tol=None, n_y=2, learning_rate=rate):
        parameters, cache, grads = symmetric_step(rng, n_y=n_y)
        inputs = {"parameters": parameters, "cache": cache, "grads": grads}
        inputs[where][key][index] += amount
        args = (parameters, cache, grads, learning_rate) + (() if tol is None else (tol,))
        cases.append((args, dict(all_true, **want), case))

    unit = int(rng.integers(4))
    changed("cache", "A1", (unit, 1), 0.1, dict(A1=False), "one row of A1 differs")
    changed("grads", "dW1", (unit, 0), 0.1, dict(dW1=False, next=False), "one row of dW1 differs")
    changed("grads", "db1", (unit, 0), 0.1, dict(next=False), "only db1 differs between units, so the update "
                                                                "makes b1 uneven")
    changed("grads", "dW2", (1, unit), 0.1, dict(dW2=False, next=False),
            "one column of dW2 differs, in its second row (a unit's gradient is the column dW2[:, i])")
    changed("grads", "dW2", (0, unit), 0.1, dict(dW2=False, next=False), "one column of dW2 differs (n_y = 1)", n_y=1)
    changed("parameters", "W1", (unit, 2), 0.1, dict(next=False), "only W1 is uneven before the update")
    changed("parameters", "b1", (unit, 0), 0.1, dict(next=False), "only b1 is uneven before the update")
    changed("parameters", "W2", (1, unit), 0.1, dict(next=False),
            "only W2 is uneven before the update, in its second row")
    changed("parameters", "b2", (1, 0), 0.5, {}, "b2 differs between outputs (b2 belongs to no hidden unit)")
    changed("grads", "db2", (0, 0), 0.5, {}, "db2 differs between outputs (it belongs to no hidden unit)")
    changed("parameters", "W1", (unit, 1), 5e-9, {}, "W1's rows differ by 5e-9, below the default tol=1e-8")
    changed("parameters", "W1", (unit, 1), 3e-8, dict(next=False), "W1's rows differ by 3e-8, above the default tol")
    changed("parameters", "W1", (unit, 1), 5e-9, dict(next=False), "W1's rows differ by 5e-9 with tol=1e-9", tol=1e-9)
    changed("cache", "A1", (unit, 0), 1e-4, dict(A1=True), "A1's rows differ by 1e-4 with tol=1e-3", tol=1e-3)

    # rows of W1 differ by d and rows of dW1 by d / rate: only the step with this rate makes them equal
    for key, gradient in (("W1", "dW1"), ("b1", "db1")):
        parameters, cache, grads = symmetric_step(rng)
        healing_rate = round(float(rng.uniform(0.2, 0.6)), 2)
        parameters[key][unit] += 0.3
        grads[gradient][unit] += 0.3 / healing_rate
        want = dict(all_true, dW1=key != "W1")
        cases.append(((parameters, cache, grads, healing_rate), want,
                      f"the step with learning_rate={healing_rate:.3g} makes {key} even again"))
    parameters = random_network(rng, 3, 4, 2)
    grads = {key: rng.normal(0, 0.3, np.shape(value)) for key, value in
             (("dW1", parameters["W1"]), ("db1", parameters["b1"]), ("dW2", parameters["W2"]),
              ("db2", parameters["b2"]))}
    cases.append(((parameters, {"A1": rng.uniform(-0.9, 0.9, (4, 5))}, grads, rate),
                  dict(A1=False, dW1=False, dW2=False, next=False), "every unit and every gradient differs"))
    cases.append(((*symmetric_step(rng, n_h=1), rate), all_true, "there is a single hidden unit"))
    return cases


def check_inductive_cases(inductive_step, cases):
    for args, want, case in cases:
        call_text = signature("inductive_step", args)
        report = call(inductive_step, *args)
        expect(isinstance(report, dict), "not-a-dict", call=call_text, got=describe(report), keys=", ".join(want))
        for key, expected in want.items():
            expect(key in report, "missing-key", call=call_text, key=key, keys=", ".join(want))
            value = report[key]
            expect(isinstance(value, (bool, np.bool_)), "not-bool", call=call_text, got=describe(value), key=key)
            expect(bool(value) == expected, "wrong-link", key=key, want=expected, case=case)


# ================================================================ saturation
ACTIVATIONS = ("tanh", "sigmoid", "relu")


def mean_derivative(mean_activation_derivative, args):
    """What ``mean_activation_derivative(*args)`` returns, which must be a number."""
    got = call(mean_activation_derivative, *args)
    expect(isinstance(got, (float, int, np.number)) or (isinstance(got, np.ndarray) and got.ndim == 0),
           "not-a-number", call=signature("mean_activation_derivative", args), got=describe(got))
    return float(got)


def diagnose_mean_derivative(mean_activation_derivative, args, want, mistakes, where):
    """``mean_activation_derivative(*args)`` returns ``want``; ``mistakes`` lists (value, key, values)."""
    got = mean_derivative(mean_activation_derivative, args)
    if np.isclose(got, want, rtol=1e-6, atol=1e-9):
        return
    for value, key, values in mistakes:
        if np.isclose(got, value, rtol=1e-6, atol=1e-9):
            fail(key, **dict(values, got=got, want=want))
    fail("wrong-derivative", activation=args[3], got=got, want=want, hint=where)


def diagnose_default_activation(mean_activation_derivative, W1, b1, X, values):
    """Called without an activation, the result is the one for tanh; ``values`` maps each activation to its mean."""
    got = mean_derivative(mean_activation_derivative, (W1, b1, X))
    if np.isclose(got, values["tanh"], rtol=1e-6, atol=1e-9):
        return
    found = next((f"the value for {name!r}" for name, value in values.items()
                  if np.isclose(got, value, rtol=1e-6, atol=1e-9)), "the value for none of the three")
    fail("wrong-default-activation", got=got, found=found, want=values["tanh"])


# ================================================================ the visible checks
def visible(check):
    """Report a failure from the visible check itself: the frames inside this module say nothing to a student."""
    @functools.wraps(check)
    def run(*args, **kwargs):
        try:
            return check(*args, **kwargs)
        except CheckFailed as failure:
            error = failure
        raise error.with_traceback(None)
    return run


@visible
def check_initialize_parameters(initialize_parameters):
    """Shapes and zero biases for a few sizes, then independent N(0, 0.01^2) weights and distinct units."""
    for n_x, n_h, n_y in ((3, 4, 1), (2, 1, 3), (1, 5, 2)):
        expect_parameters(initialize_parameters, n_x, n_h, n_y)
    # 100 000 draws per matrix: enough for the statistics to tell N(0, 0.01^2) from every mistake
    expect_initial_draws(initialize_parameters, 400, 250, 400)


# forward propagation on worked examples: Z1 = W1 X + b1 is hand-computable; the rest to 12 digits
FORWARD_EXAMPLES = [
    {"X": [[1.0], [2.0]], "W1": [[1.0, -1.0], [0.5, 2.0]], "b1": [[0.0], [1.0]], "W2": [[1.0, -2.0]],
     "b2": [[0.5]], "Z1": [[-1.0], [5.5]], "W1 @ X": [[-1.0], [4.5]],
     "Z2": [[-2.261527350268]], "W2 @ A1": [[-2.761527350268]]},
    {"X": [[1.0, 0.0, -1.0], [0.0, 2.0, 0.5], [-0.5, 1.0, 0.0]],
     "W1": [[0.5, -1.0, 2.0], [1.5, 0.5, -0.5], [-1.0, 0.25, 0.5], [0.0, 1.0, -1.5]],
     "b1": [[0.25], [-1.0], [0.5], [0.0]],
     "W2": [[1.0, -2.0, 0.5, 1.5], [-0.5, 3.0, -1.0, 0.25]], "b2": [[0.5], [-1.0]],
     "Z1": [[-0.25, 0.25, -0.75], [0.75, -0.5, -2.25], [-0.75, 1.5, 1.625], [0.75, 0.5, 0.5]],
     "W1 @ X": [[-0.5, 0.0, -1.0], [1.75, 0.5, -1.25], [-1.25, 1.0, 1.125], [0.75, 0.5, 0.5]],
     "Z2": [[-0.380067614791, 2.814902839636, 2.976752125636], [1.821842378848, -3.298429767312, -4.42632080402]],
     "W2 @ A1": [[-0.880067614791, 2.314902839636, 2.476752125636],
                 [2.821842378848, -2.298429767312, -3.42632080402]]},
    {"X": [[1.0, -0.5, 2.0], [0.0, 1.5, -1.0]],
     "W1": [[0.5, -1.0], [1.0, 0.25], [-0.75, 0.5]], "b1": [[0.5], [0.0], [-0.25]],
     "W2": [[1.0, -1.5, 0.5]], "b2": [[0.25]],
     "Z1": [[1.0, -1.25, 2.5], [1.0, -0.125, 1.75], [-1.0, 0.875, -2.25]],
     "W1 @ X": [[0.5, -1.75, 2.0], [1.0, -0.125, 1.75], [-0.75, 1.125, -2.0]],
     "Z2": [[-0.511594155956, -0.059801335332, -0.664462066964]],
     "W2 @ A1": [[-0.761594155956, -0.309801335332, -0.914462066964]]},
]


def example_arrays(example, keys):
    return {key: np.array(example[key]) for key in keys}


@visible
def check_forward_propagation(forward_propagation):
    """Z1, A1, Z2 and A2 on worked examples (one example; two outputs and three examples; three hidden units)."""
    for example in FORWARD_EXAMPLES:
        parameters = example_arrays(example, PARAMETER_KEYS)
        X = np.array(example["X"])
        Z1, Z2 = np.array(example["Z1"]), np.array(example["Z2"])
        want = {"Z1": Z1, "A1": np.tanh(Z1), "Z2": Z2, "A2": sigmoid(Z2)}
        call_text = signature("forward_propagation", (X, parameters))
        result = call(forward_propagation, X, parameters)
        diagnose_forward(result, call_text, want, np.array(example["W1 @ X"]), np.array(example["W2 @ A1"]))


COST_EXAMPLES = [
    # A2, Y, the cost, and what the missing (1 - Y) term and log10 give
    ([[0.8, 0.1, 0.6]], [[1.0, 0.0, 1.0]], 0.279776563579, 0.244656391693, 0.121505417728),
    ([[0.25]], [[0.0]], 0.287682072452, 0.0, 0.124938736608),
]


@visible
def check_compute_cost(compute_cost):
    """The mean cross-entropy on worked examples, one with a single example."""
    for A2, Y, want, positive_only, log10 in COST_EXAMPLES:
        A2, Y = np.array(A2), np.array(Y)
        call_text = signature("compute_cost", (A2, Y))
        cost = call(compute_cost, A2, Y)
        diagnose_cost(cost, call_text, want, Y.shape[1],
                      [(positive_only, "cost-missing-term", {}),
                       (log10, "wrong-value", dict(name="the cost (log10 instead of the natural log)",
                                                   where=for_examples(Y.shape[1]), diff=abs(log10 - want)))])


# the second forward example with labels Y, worked to 12 digits; the tanh-derivative mistakes'
# dW1 and db1 alongside
BACKWARD_EXAMPLE = {
    "Y": [[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]],
    "dW1": [[-0.409560770389, 0.62439835769, 0.450519278606], [0.791283628238, -0.954064520913, -0.841514354415],
            [-0.276412511472, 0.075630855542, 0.141383883821], [-0.050529356115, 0.704749393586, 0.440511271892]],
    "db1": [[0.057712407801], [0.241545354073], [-0.1577755511], [0.155144247581]],
    "dW2": [[0.135775357486, -0.255260938511, 0.395442086722, 0.012127116686],
            [0.141848592106, 0.49891123829, -0.476297774295, 0.035511562043]],
    "db2": [[0.100366396062], [-0.030590253195]],
    "tanh-derivative-1-minus-a": {
        "dW1": [[-0.667926061146, 0.587405597442, 0.445508519157], [2.34922540057, -2.680476292283, -1.096816675842],
                [-0.655008524834, 0.039570993306, 0.329299332605], [-0.02483488179, 0.482006103332, 0.296421080256]],
        "db1": [[0.050810461226], [-2.299759143601], [-0.59324536643], [0.115833465254]]},
    "tanh-derivative-sigmoid": {
        "dW1": [[0.258365290756, 0.036992760248, 0.005010759449], [-1.557941772331, 1.726411771369, 0.255302321427],
                [0.378596013362, 0.036059862236, -0.187915448784], [-0.025694474325, 0.222743290254, 0.144090191636]],
        "db1": [[0.006901946574], [2.541304497674], [0.435469815329], [0.039310782327]]},
    "tanh-derivative-of-a1": {
        "dW1": [[-0.423428857581, 0.632367925098, 0.451631059968], [1.275384795861, -1.172951428686, -0.912907353568],
                [-0.415029174607, 0.21593882425, 0.202363553173], [-0.067467635001, 0.729028760966, 0.463286098856]],
        "db1": [[0.070712211502], [-0.037366022129], [-0.043112054552], [0.145291643447]]},
}

# the third forward example, where the gradient check runs: its labels and its cost
GRADIENT_CHECK = {"Y": [[1.0, 0.0, 1.0]], "cost": 0.90819457373}


@visible
def check_backward_propagation(backward_propagation, forward_propagation=None, compute_cost=None):
    """The gradients on a worked example, then a gradient check against your own forward pass and cost.

    The gradient check moves each parameter entry by +-eps, recomputes the cost with your
    forward_propagation and compute_cost, and compares (J(+eps) - J(-eps)) / (2 eps) with
    the gradient backward_propagation returns. It differentiates whatever those two functions
    compute, so it runs only when they pass their own checks, which include this very point.
    """
    example = FORWARD_EXAMPLES[1]
    parameters = example_arrays(example, PARAMETER_KEYS)
    X, Y = np.array(example["X"]), np.array(BACKWARD_EXAMPLE["Y"])
    Z1, Z2 = np.array(example["Z1"]), np.array(example["Z2"])
    cache = {"Z1": Z1, "A1": np.tanh(Z1), "Z2": Z2, "A2": sigmoid(Z2)}
    want = example_arrays(BACKWARD_EXAMPLE, GRADIENT_KEYS)
    variants = {key: example_arrays(BACKWARD_EXAMPLE[key], ("dW1", "db1"))
                for key in ("tanh-derivative-1-minus-a", "tanh-derivative-sigmoid", "tanh-derivative-of-a1")}
    call_text = signature("backward_propagation", (parameters, cache, X, Y))
    grads = call(backward_propagation, parameters, cache, X, Y)
    diagnose_backward(grads, call_text, parameters, want, X.shape[1], variants, "on the worked example")
    if forward_propagation is None or compute_cost is None:
        return
    try:
        for check, function in ((check_forward_propagation, forward_propagation), (check_compute_cost, compute_cost)):
            check(function)
    except CheckFailed:
        print("Gradient check skipped: it differentiates your forward_propagation and compute_cost, "
              "so make those pass their checks first.")
        return
    example = FORWARD_EXAMPLES[2]
    parameters = example_arrays(example, PARAMETER_KEYS)
    X, Y = np.array(example["X"]), np.array(GRADIENT_CHECK["Y"])
    _, cache = call(forward_propagation, X, parameters)
    grads = call(backward_propagation, parameters, cache, X, Y)

    def cost_of(moved):
        return float(call(compute_cost, call(forward_propagation, X, moved)[0], Y))
    if not np.isclose(cost_of(parameters), GRADIENT_CHECK["cost"], rtol=1e-6):
        print("Gradient check skipped: your forward_propagation and compute_cost do not give this network's "
              f"cost, {GRADIENT_CHECK['cost']:.6f}.")
        return
    numeric = numerical_gradients(cost_of, parameters)
    diagnose_backward(grads, signature("backward_propagation", (parameters, cache, X, Y)), parameters, numeric,
                      X.shape[1], {}, "by finite differences of your own forward_propagation and compute_cost")
    worst = max(max_diff(grads[key], numeric[key]) / max(float(np.max(np.abs(numeric[key]))), 1e-8)
                for key in GRADIENT_KEYS)
    print(f"Gradient check passed: backward_propagation agrees with finite differences "
          f"to a relative {worst:.1e}.")


@visible
def check_update_parameters(update_parameters):
    """One step on a worked example: with rates 0.1 and 2.0, and with the default rate."""
    parameters = {"W1": np.ones((2, 3)), "b1": np.zeros((2, 1)), "W2": np.full((3, 2), -1.0), "b2": np.ones((3, 1))}
    grads = {"dW1": np.full((2, 3), 0.5), "db1": np.array([[1.0], [-1.0]]), "dW2": np.full((3, 2), 2.0),
             "db2": np.array([[0.5], [0.25], [-0.5]])}
    for rate in (0.1, 2.0, None):
        diagnose_update(update_parameters, parameters, grads, rate)


@visible
def check_count_distinct_units(count_distinct_units):
    """Networks whose number of distinct units is known by construction."""
    check_count_cases(count_distinct_units, count_cases(np.random.default_rng(2)))


@visible
def check_inductive_step(inductive_step):
    """Steps in which each link of the chain holds or breaks, one input at a time."""
    check_inductive_cases(inductive_step, inductive_cases(np.random.default_rng(3)))


# Z = W1 X + b1 = [[ln 3, 2 ln 3], [0, -ln 3], [-2, 0]]: tanh'(ln 3) = 1 - 0.8^2, sigmoid(ln 3) = 3/4
DERIVATIVE_EXAMPLE = {
    "W1": [[math.log(3)], [-math.log(3)], [2.0]], "b1": [[math.log(3)], [0.0], [-2.0]], "X": [[0.0, 1.0]],
    "want": {"tanh": 0.473139404777, "sigmoid": 0.178332264234, "relu": 0.333333333333},
    "activation": {"tanh": 0.00193036267, "sigmoid": 0.503200487004, "relu": 0.549306144334},
    "hints": {"tanh": [(0.99806963733, "1 - tanh(Z) is not the derivative; use 1 - tanh(Z)**2"),
                       (0.631775137476, "add b1 to Z")],
              "sigmoid": [(0.67513177723, "that is tanh's form; sigmoid's is s * (1 - s)"),
                          (0.204998930901, "add b1 to Z")],
              "relu": [(0.666666666667, "use Z > 0")]},
}


@visible
def check_mean_activation_derivative(mean_activation_derivative):
    """The mean derivative for each activation on a worked example, and the default activation."""
    example = DERIVATIVE_EXAMPLE
    W1, b1, X = (np.array(example[key]) for key in ("W1", "b1", "X"))
    for activation in ACTIVATIONS:
        want = example["want"][activation]
        mistakes = [(example["activation"][activation], "derivative-of-activation", dict(activation=activation))]
        mistakes += [(value, "wrong-derivative", dict(activation=activation, hint=hint))
                     for value, hint in example["hints"][activation]]
        diagnose_mean_derivative(mean_activation_derivative, (W1, b1, X, activation), want, mistakes,
                                 "on the worked example")
    diagnose_default_activation(mean_activation_derivative, W1, b1, X, example["want"])


DEEP_DIMS = [300, 100, 400, 60]     # every matrix holds >= 24 000 entries


@visible
def check_initialize_parameters_deep(initialize_parameters_deep):
    """Shapes and zero biases, each method's scale and independent draws, then the default method."""
    for layer_dims in ([5, 4, 3, 1], [2, 3]):
        for method in ("small", "xavier", "he", None):
            expect_deep_parameters(initialize_parameters_deep, layer_dims, method)
    for method in ("small", "xavier", "he"):
        expect_deep_draws(initialize_parameters_deep, DEEP_DIMS, method)
    expect_default_method(initialize_parameters_deep, DEEP_DIMS)
