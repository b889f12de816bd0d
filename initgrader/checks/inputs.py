"""The seed the hidden checks draw their inputs from, set per submission.

Grading sets a seed derived from the student and a course secret
(:mod:`initgrader.plugins.check_inputs`) around a submission's test cells, so
each student meets inputs of their own, and the same student always meets the
same ones. Without a seed (pytest, the instructor's notebook) the checks use
:data:`DEFAULT_SEED`, so every run is reproducible.
"""
import contextlib
import contextvars
import hashlib

import numpy as np

DEFAULT_SEED = "initgrader-default"

_seed = contextvars.ContextVar("initgrader_check_seed", default=DEFAULT_SEED)


@contextlib.contextmanager
def use_seed(seed):
    """Run the enclosed checks with inputs drawn from ``seed`` (any string or integer)."""
    token = _seed.set(str(seed))
    try:
        yield
    finally:
        _seed.reset(token)


def rng(label):
    """An independent generator for one check or case: the same seed and label give the same draws."""
    digest = hashlib.sha256(f"{_seed.get()}\0{label}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest, "big"))
