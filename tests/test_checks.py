"""The checks are fair and specific.

Fair: the reference and every answer in ``tests/corpus/correct`` pass, quietly.
Specific: every answer in ``tests/corpus/wrong`` fails with the catalogue key it
names in ``EXPECTED``, under ``python -O`` as well, and a broken function never
costs points elsewhere.

    .venv/bin/python -m pytest tests/test_checks.py -q
"""
import ast
import contextlib
import json
import os
import string
import subprocess
import sys
import warnings

import pytest

from initgrader import reference as ref
from initgrader.checks import CHECKS, CheckFailed
from initgrader.checks.catalogue import MESSAGES, say
from corpus.loader import CORPUS, correct_files, graded, load, wrong_files

from support.course import KIT

# a correct answer drawing random numbers must pass on every draw, not just once
RANDOM = {"initialize_parameters", "initialize_parameters_deep"}
REPEATS = 3


def runs(name):
    return range(REPEATS if name in RANDOM else 1)


def repeat_marks(run):
    """The repeats of a random draw are for make test only."""
    return [pytest.mark.slow] if run else []


def cases(files):
    """(path, function name, run) for every graded function each file defines."""
    return [(path, name, run) for path in files for name in graded(load(path)) for run in runs(name)]


def case_id(case):
    path, name, run = case
    return f"{path.stem}::{name}" + (f"#{run}" if name in RANDOM else "")


def params(found):
    return [pytest.param(*case, id=case_id(case), marks=repeat_marks(case[2])) for case in found]


CORRECT_CASES = params(cases(correct_files()))
WRONG_CASES = params(cases(wrong_files()))


def failure(check, function):
    """The CheckFailed ``check`` fails ``function`` with, or None when it passes."""
    try:
        check(function)
    except CheckFailed as error:
        return error
    return None


def assert_quiet_pass(check, function, capsys):
    # nbgrader zeroes a test cell that writes to stderr, so passing must also be silent
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        error = failure(check, function)
    assert error is None, str(error)
    out, err = capsys.readouterr()
    assert (out, err, [str(w.message) for w in caught]) == ("", "", [])


# ---------------------------------------------------------------- (a) reference, (b) correct corpus
@pytest.mark.parametrize("name,run", [pytest.param(name, run, marks=repeat_marks(run))
                                      for name in CHECKS for run in runs(name)])
def test_reference_passes(name, run, capsys):
    assert_quiet_pass(CHECKS[name], getattr(ref, name), capsys)


@pytest.mark.parametrize("path,name,run", CORRECT_CASES)
def test_correct_answer_passes(path, name, run, capsys):
    assert_quiet_pass(CHECKS[name], getattr(load(path), name), capsys)


# ---------------------------------------------------------------- (c) wrong corpus, (d) isolation
@pytest.mark.parametrize("path,name,run", WRONG_CASES)
def test_wrong_answer_named(path, name, run):
    want = load(path).EXPECTED[name]
    error = failure(CHECKS[name], getattr(load(path), name))
    assert error is not None, f"the check passed a wrong answer; expected {want!r}"
    assert error.key == want, str(error)


@pytest.mark.slow
@pytest.mark.parametrize("name", CHECKS)
def test_wrong_answers_cost_nothing_elsewhere(name):
    # run the broken functions first: whatever state they leave behind must not reach the other checks
    for path in wrong_files():
        broken = graded(load(path)).get(name)
        if broken is not None:
            with contextlib.suppress(Exception):
                CHECKS[name](broken)
    for other, check in CHECKS.items():
        if other != name:
            assert failure(check, getattr(ref, other)) is None, other


# ---------------------------------------------------------------- (e) blank stubs
@pytest.mark.parametrize("name", CHECKS)
def test_blank_stub_raised(name):
    stubs = load(CORPUS / "wrong" / "blank_stubs.py")
    error = failure(CHECKS[name], getattr(stubs, name))
    assert error.key == "raised" and "NotImplementedError" in str(error), str(error)


# ---------------------------------------------------------------- (f) structured failures, also under -O
def dummy_values(template):
    return {field: 0.25 if spec else "x" for _, field, spec, _ in string.Formatter().parse(template)
            if field is not None}


@pytest.mark.parametrize("key", MESSAGES)
def test_failure_carries_its_key_and_values(key):
    values = dummy_values(MESSAGES[key])
    error = CheckFailed(key, values)
    assert isinstance(error, AssertionError)
    assert (error.key, error.values, error.message) == (key, values, say(key, **values))
    # str() is the same text in lines that nbgrader validate's 90-column report does not cut
    assert str(error).split() == error.message.split()
    assert all(len(line) <= 70 for line in str(error).splitlines())


def test_every_key_has_a_message_of_its_own():
    assert len(set(MESSAGES.values())) == len(MESSAGES)


@pytest.mark.parametrize("path", sorted((KIT / "initgrader" / "checks").glob("*.py")), ids=lambda path: path.name)
def test_checks_use_no_assert_statements(path):
    """python -O strips assert statements, so every check fails through expect() or fail() instead."""
    asserts = [node.lineno for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Assert)]
    assert not asserts, f"{path.name} uses assert on lines {asserts}"


OPTIMIZED_GRADING = """
import json, sys
sys.path.insert(0, sys.argv[1])
from corpus.loader import correct_files, graded, load, wrong_files
from initgrader.checks import CHECKS, CheckFailed

def outcome(check, function):
    try:
        check(function)
    except CheckFailed as error:
        return error.key
    return None

result = {"optimize": sys.flags.optimize, "wrong": {}, "correct": {}}
for kind, files in (("wrong", wrong_files()), ("correct", correct_files())):
    for path in files:
        for name, function in graded(load(path)).items():
            result[kind][path.stem + "::" + name] = outcome(CHECKS[name], function)
print(json.dumps(result))
"""


@pytest.mark.slow
def test_wrong_answers_still_fail_under_python_optimize():
    """Under python -O every wrong answer still fails with its key, and every correct one passes."""
    run = subprocess.run([sys.executable, "-O", "-c", OPTIMIZED_GRADING, str(KIT / "tests")], capture_output=True,
                         text=True, env=dict(os.environ, PYTHONOPTIMIZE="1"), check=True)
    result = json.loads(run.stdout)
    assert result["optimize"] >= 1
    expected = {f"{path.stem}::{name}": key for path in wrong_files() for name, key in load(path).EXPECTED.items()}
    assert result["wrong"] == expected
    assert set(result["correct"].values()) == {None}


# ---------------------------------------------------------------- (g) one source for the visible checks
def test_assignment_ships_the_checks_own_copy_of_self_check():
    """The visible tests import source/<assignment>/self_check.py; it must be initgrader.checks.self_check."""
    master = (KIT / "initgrader" / "checks" / "self_check.py").read_bytes()
    shipped = KIT / "source" / "random_initialization" / "self_check.py"
    assert shipped.read_bytes() == master, ("source/random_initialization/self_check.py differs from "
                                            "initgrader/checks/self_check.py: copy it over, then make release")


def test_self_check_stands_alone():
    """The shipped module imports only NumPy and the standard library, and nothing of the grader."""
    tree = ast.parse((KIT / "initgrader" / "checks" / "self_check.py").read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "." for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert {name.split(".")[0] for name in imported} <= STDLIB_AND_NUMPY


# ---------------------------------------------------------------- corpus hygiene
STDLIB_AND_NUMPY = set(sys.stdlib_module_names) | {"numpy"}


@pytest.mark.parametrize("path", correct_files() + wrong_files(), ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_corpus_file_plantable(path):
    """One-line docstring, numpy/stdlib imports only, graded functions defined, EXPECTED keys valid."""
    tree = ast.parse(path.read_text())
    docstring = ast.get_docstring(tree)
    assert docstring and "\n" not in docstring
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert {name.split(".")[0] for name in imported} <= STDLIB_AND_NUMPY
    module = load(path)
    assert graded(module)
    if path.parent.name == "wrong":
        assert set(module.EXPECTED) == set(graded(module))
        assert set(module.EXPECTED.values()) <= set(MESSAGES)


def test_every_check_has_correct_alternatives_in_the_corpus():
    assert set(CHECKS) <= {name for path in correct_files() for name in graded(load(path))}
