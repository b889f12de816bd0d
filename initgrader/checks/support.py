"""What every check needs: a quiet call into student code, and shared assertions.

Statistical tolerances are chosen so that a correct answer fails a single
assertion with probability below 1e-10 (arithmetic in :func:`assert_gaussian`);
a whole notebook makes fewer than ten such assertions, so below 1e-9.
"""
import contextlib
import copy
import io
import math
import warnings

import numpy as np

from .catalogue import say


def describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, dict):
        items = ", ".join(f"{k}: {np.shape(v)}" if isinstance(v, np.ndarray) else f"{k}: {v!r}"[:40]
                          for k, v in value.items())
        return f"a dict {{{items}}}"[:200]
    return f"{type(value).__name__} {value!r}"[:120]


def signature(name, args):
    shown = ", ".join(describe(a) if isinstance(a, (np.ndarray, dict)) else repr(a) for a in args)
    return f"{name}({shown})"


def call(function, *args):
    """Call student code on copies of ``args``, silencing its output and warnings.

    A correct function that prints or overflows must not lose points, and
    nbgrader zeroes any test cell that writes to stderr.
    """
    name = getattr(function, "__name__", "the function")
    with contextlib.ExitStack() as stack:
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore")
        stack.enter_context(np.errstate(all="ignore"))
        stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
        stack.enter_context(contextlib.redirect_stderr(io.StringIO()))
        try:
            return function(*copy.deepcopy(args))
        except Exception as error:
            failure = error
    # an error raised in the sandbox arrives as text that already names its type
    text = str(failure) if hasattr(failure, "remote") else f"{type(failure).__name__}: {failure}"
    message = say("raised", call=signature(name, args), error=text)
    raise AssertionError(message) from failure


def assert_dict(value, keys, call_text):
    assert isinstance(value, dict), say("not-a-dict", call=call_text, got=describe(value), keys=", ".join(keys))
    for key in keys:
        assert key in value, say("missing-key", call=call_text, key=key, keys=", ".join(keys))
        assert isinstance(value[key], np.ndarray), say("not-an-array", name=key, got=describe(value[key]))


def assert_shape(array, want, name, rows="", cols=""):
    got = np.shape(array)
    if got == want:
        return
    assert not (len(want) == 2 and want[1] == 1 and got == (want[0],)), say(
        "1d-bias", name=name, got=got, want=want, n=want[0])
    axes = f": rows are {rows}, columns are {cols}" if rows and cols else ""
    assert not (len(want) == 2 and want[0] != want[1] and got == want[::-1]), say(
        "transposed", name=name, got=got, want=want, axes=axes)
    raise AssertionError(say("wrong-shape", name=name, got=got, want=want))


def max_diff(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=float) - b), initial=0.0))


def close(a, b):
    a = np.asarray(a)
    return a.shape == np.shape(b) and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


def assert_close(got, want, name):
    assert close(got, want), say("wrong-value", name=name, diff=max_diff(got, want) if np.shape(got) == np.shape(
        want) else float("inf"))


TAIL = math.log(1e11)


def variance_band(n):
    """(low, high) with P(chi2_n / n outside) < 2e-11, from the Chernoff bounds
    P(chi2_n >= n(1+e)) <= exp(-(n/2)(e - ln(1+e))) and
    P(chi2_n <= n(1-e)) <= exp(-(n/2)(-e - ln(1-e)))."""
    def solve(rate, top):
        lo, hi = 0.0, top
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if n / 2 * rate(mid) >= TAIL else (mid, hi)
        return hi
    upper = solve(lambda e: e - math.log1p(e), 100.0)
    lower = solve(lambda e: -e - math.log1p(-e), 1.0 - 1e-12)
    return 1 - lower, 1 + upper


def assert_gaussian(W, std, name):
    """Assert the entries of W look like independent N(0, std**2) draws.

    With N entries, each test and the chance that correct draws fail it:
    - the variance ratio v = s^2/std^2 lies in the band of :func:`variance_band`:
      N v is chi-square with about N degrees of freedom, and the Chernoff bound puts
      each tail below 1e-11;
    - |mean| <= 7 s/sqrt(N): the mean is normal, two-sided p = 2.6e-12;
    - for N >= 10_000, the share of entries within one sample standard deviation of
      the mean is 0.683 +- sqrt(ln(2e10)/(2N)) (Hoeffding, p < 1e-10); a uniform
      distribution gives 0.577, outside that band.
    """
    W = np.asarray(W, dtype=float)
    n = W.size
    assert np.any(W != 0), say("zero-weights", name=name)
    assert np.ptp(W) > 0, say("constant-weights", name=name, value=float(W.flat[0]))
    if W.ndim == 2 and W.shape[0] > 1:
        distinct_rows = len(np.unique(W, axis=0))
        assert distinct_rows == W.shape[0], say("repeated-rows", name=name, distinct=distinct_rows, rows=W.shape[0])
    distinct = len(np.unique(W)) / n
    # exact repeats among continuous draws are rare but possible (53-bit mantissas), hence 99%
    assert distinct >= 0.99 or n < 100, say("repeated-values", name=name, fraction=distinct)
    mean, s = float(W.mean()), float(W.std())
    if n >= 10_000:
        inside = float(np.mean(np.abs(W - mean) < s))
        assert abs(inside - 0.6827) <= math.sqrt(math.log(2e10) / (2 * n)), say(
            "uniform-weights", name=name, inside=inside)
    low, high = variance_band(n)
    if not low <= (s / std) ** 2 <= high:
        assert not (0.7 < s < 1.4 and std < 0.1), say("missing-scale", name=name, std=s)
        raise AssertionError(say("wrong-scale", name=name, std=s, want=std))
    assert abs(mean) <= 7 * s / math.sqrt(n), say("not-centred", name=name, mean=mean, std=s)


def assert_independent(W, other, name, other_name):
    shared = float(np.mean(np.isin(np.asarray(W), np.asarray(other))))
    assert shared < 0.5, say("reused-draws", name=name, other=other_name)


def random_parameters(rng, n_x, n_h, n_y, scale=0.8):
    """Parameters the checker chooses: large enough that tanh is visibly nonlinear."""
    return {
        "W1": rng.standard_normal((n_h, n_x)) * scale,
        "b1": rng.standard_normal((n_h, 1)) * 0.5,
        "W2": rng.standard_normal((n_y, n_h)) * scale,
        "b2": rng.standard_normal((n_y, 1)) * 0.5,
    }


def labels(rng, m):
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    Y[0, :2] = [0, 1][: min(m, 2)]
    return Y
