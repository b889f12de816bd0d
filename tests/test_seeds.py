"""Hidden inputs are drawn per submission, and every verdict holds whichever inputs are drawn.

Every distinguishing case keeps a margin, so the whole corpus is graded under
many seeds (fixed ones, and fresh ones each run) and must give the same
verdicts under all of them: correct answers pass, wrong ones fail with their
key. The seed is derived from the course secret and the student, so a regrade
meets the same inputs and two students meet different ones.

    .venv/bin/python -m pytest tests/test_seeds.py -q
"""
import copy
import os
import re
import secrets
import stat
from pathlib import Path

import numpy as np
import pytest
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from initgrader import reference as ref
from initgrader.checks import CHECKS, HIDDEN, CheckFailed, use_seed
from initgrader.plugins.check_inputs import SECRET_FILE, course_secret, submission_seed

from corpus.loader import correct_files, graded, load, wrong_files

# fixed seeds, and fresh ones drawn when each test runs (reported on failure, so it can be replayed)
FIXED_SEEDS = [f"fixed-{index}" for index in range(16)]
FRESH = [f"fresh-{index}" for index in range(16)]

# The initializers' statistical tests use fixed sizes and the student's own draws (self_check has no
# access to the seed), so under most seeds only their seeded part, the hidden check of sizes, needs grading again.
SEEDED_PART = {name: HIDDEN[name] for name in ("initialize_parameters", "initialize_parameters_deep")}
FULLY_GRADED = {FIXED_SEEDS[0]}


def outcome(check, function):
    try:
        check(function)
    except CheckFailed as error:
        return error.key
    return None


def corpus():
    """(case id, function name, function, the verdict of its check, the verdict of its seeded part)."""
    entries = []
    for path in correct_files() + wrong_files():
        module = load(path)
        for name, function in graded(module).items():
            want = getattr(module, "EXPECTED", {}).get(name)
            seeded = want
            if name in SEEDED_PART and want is not None:
                # a wrong draw caught by the statistics passes the seeded part, under every seed
                seeded = outcome(SEEDED_PART[name], function)
            entries.append((f"{path.parent.name}/{path.stem}::{name}", name, function, want, seeded))
    return entries


CORPUS = corpus()


# make check grades one fixed and one fresh seed; make test, all of them
@pytest.mark.parametrize("name", [name if name in (FIXED_SEEDS[0], FRESH[0])
                                  else pytest.param(name, marks=pytest.mark.slow) for name in FIXED_SEEDS + FRESH])
def test_every_verdict_holds_under_this_seed(name):
    seed = name if name in FIXED_SEEDS else secrets.token_hex(8)
    problems = []
    with use_seed(seed):
        for name, check in CHECKS.items():
            if outcome(check, getattr(ref, name)) is not None:
                problems.append(f"the reference fails {name}")
        for case, name, function, want, seeded in CORPUS:
            if name in SEEDED_PART and seed not in FULLY_GRADED:
                got, expected = outcome(SEEDED_PART[name], function), seeded
            else:
                got, expected = outcome(CHECKS[name], function), want
            if got != expected:
                problems.append(f"{case}: expected {expected}, got {got}")
    assert not problems, f"seed {seed!r}: {problems}"


def test_self_check_cannot_see_the_seed():
    """The statistical tests live in self_check, which imports nothing but NumPy and the standard library."""
    from initgrader.checks import self_check
    assert "inputs" not in vars(self_check) and "use_seed" not in vars(self_check) and "rng" not in vars(self_check)


# ---------------------------------------------------------------- per-student inputs
def recorder(function, calls):
    """``function``, recording a copy of every argument list it is called with."""
    def record(*args, **kwargs):
        calls.append(copy.deepcopy((args, kwargs)))
        return function(*args, **kwargs)
    record.__name__ = function.__name__
    return record


def inputs_under(seed, name):
    calls = []
    with use_seed(seed):
        CHECKS[name](recorder(getattr(ref, name), calls))
    return calls


def same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.shape(a) == np.shape(b) and np.array_equal(a, b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("name", CHECKS)
def test_each_student_meets_inputs_of_their_own(name):
    secret = secrets.token_hex(32)
    alice, bob = (submission_seed(secret, "course", "random_initialization", student) for student in ("alice", "bob"))
    first, again, other = inputs_under(alice, name), inputs_under(alice, name), inputs_under(bob, name)
    assert same(first, again), "the same student must meet the same inputs"
    assert not same(first, other), "two students met the same inputs"


def test_seed_depends_on_secret_course_assignment_and_student():
    base = ("secret", "course", "assignment", "student")
    seed = submission_seed(*base)
    assert seed == submission_seed(*base) and re.fullmatch(r"[0-9a-f]{64}", seed)
    for position in range(4):
        changed = list(base)
        changed[position] += "x"
        assert submission_seed(*changed) != seed


def test_a_regrade_reproduces_the_grade_and_students_differ():
    """A wrong answer whose message quotes a value computed from the inputs: the same per student, not across."""
    wrong = load(Path(__file__).resolve().parent / "corpus" / "wrong" / "derivative_forgets_b1.py")
    secret = secrets.token_hex(32)

    def message(student):
        with use_seed(submission_seed(secret, "course", "random_initialization", student)):
            try:
                CHECKS["mean_activation_derivative"](wrong.mean_activation_derivative)
            except CheckFailed as error:
                return error.key, str(error)
        return None

    assert message("alice") == message("alice")
    assert message("alice")[0] == message("bob")[0] == "wrong-derivative"
    assert message("alice")[1] != message("bob")[1]


def test_messages_never_print_input_arrays():
    """Feedback names shapes and a few numbers, never whole arrays of the inputs drawn for the student."""
    for case, name, function, want, _ in CORPUS:
        if want is None or name in SEEDED_PART:
            continue
        try:
            CHECKS[name](function)
        except CheckFailed as error:
            # a printed array: a bracket, then two numbers in a row
            assert not re.search(r"\[\s*\[?\s*-?\d*\.\d+(e-?\d+)?[\s,]+\[?-?\d", str(error)), f"{case}: {error}"
            assert len(str(error)) < 700, f"{case}: {error}"


# ---------------------------------------------------------------- the course secret
def coursedir(root, secret=""):
    config = Config()
    config.CourseDirectory.root = str(root)
    if secret:
        config.CheckInputs.secret = secret
    return CourseDirectory(config=config)


def test_course_secret_is_created_once_private_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("INITGRADER_SECRET", raising=False)
    first = course_secret(coursedir(tmp_path))
    path = tmp_path / SECRET_FILE
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) & 0o077 == 0
    assert course_secret(coursedir(tmp_path)) == first
    assert course_secret(coursedir(tmp_path / "elsewhere")) != first


def test_configured_secret_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("INITGRADER_SECRET", "from the environment")
    assert course_secret(coursedir(tmp_path, secret="from the config")) == "from the config"
    assert course_secret(coursedir(tmp_path)) == "from the environment"
    assert not (tmp_path / SECRET_FILE).exists()


def test_empty_secret_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("INITGRADER_SECRET", raising=False)
    (tmp_path / SECRET_FILE).parent.mkdir()
    (tmp_path / SECRET_FILE).write_text("\n")
    with pytest.raises(ValueError, match="empty"):
        course_secret(coursedir(tmp_path))


def test_secret_stays_out_of_the_repository():
    kit = Path(__file__).resolve().parent.parent
    assert "/.initgrader/" in (kit / ".gitignore").read_text().split()
