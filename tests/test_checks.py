"""The checks are fair and specific.

Fair: the reference and every answer in ``tests/corpus/correct`` pass, quietly.
Specific: every answer in ``tests/corpus/wrong`` fails with the catalogue key it
names in ``EXPECTED``, and a broken function never costs points elsewhere.

    .venv/bin/python -m pytest tests/test_checks.py -q
"""
import ast
import contextlib
import string
import sys
import warnings

import pytest

from initgrader import reference as ref
from initgrader.checks import CHECKS
from initgrader.checks.catalogue import MESSAGES, identify, say
from corpus.loader import CORPUS, correct_files, graded, load, wrong_files

# a correct answer drawing random numbers must pass on every draw, not just once
RANDOM = {"initialize_parameters", "initialize_parameters_deep"}
REPEATS = 3

def runs(name):
    return range(REPEATS if name in RANDOM else 1)


def cases(files):
    """(path, function name, run) for every graded function each file defines."""
    return [(path, name, run) for path in files for name in graded(load(path)) for run in runs(name)]


def case_id(case):
    path, name, run = case
    return f"{path.stem}::{name}" + (f"#{run}" if name in RANDOM else "")


CORRECT_CASES = [pytest.param(*case, id=case_id(case)) for case in cases(correct_files())]
WRONG_CASES = [pytest.param(*case, id=case_id(case)) for case in cases(wrong_files())]


def failure(check, function):
    """The message ``check`` fails ``function`` with, or None when it passes."""
    try:
        check(function)
    except AssertionError as error:
        return str(error)
    return None


def assert_quiet_pass(check, function, capsys):
    # nbgrader zeroes a test cell that writes to stderr, so passing must also be silent
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        message = failure(check, function)
    assert message is None, message
    out, err = capsys.readouterr()
    assert (out, err, [str(w.message) for w in caught]) == ("", "", [])


# ---------------------------------------------------------------- (a) reference, (b) correct corpus
@pytest.mark.parametrize("name,run", [(name, run) for name in CHECKS for run in runs(name)])
def test_reference_passes(name, run, capsys):
    assert_quiet_pass(CHECKS[name], getattr(ref, name), capsys)


@pytest.mark.parametrize("path,name,run", CORRECT_CASES)
def test_correct_answer_passes(path, name, run, capsys):
    assert_quiet_pass(CHECKS[name], getattr(load(path), name), capsys)


# ---------------------------------------------------------------- (c) wrong corpus, (d) isolation
@pytest.mark.parametrize("path,name,run", WRONG_CASES)
def test_wrong_answer_named(path, name, run):
    want = load(path).EXPECTED[name]
    message = failure(CHECKS[name], getattr(load(path), name))
    assert message is not None, f"the check passed a wrong answer; expected {want!r}"
    assert identify(message) == want, message


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
    message = failure(CHECKS[name], getattr(stubs, name))
    assert identify(message) == "raised" and "NotImplementedError" in message, message


# ---------------------------------------------------------------- (f) catalogue
def dummy_values(template):
    return {field: 0.25 if spec else "x" for _, field, spec, _ in string.Formatter().parse(template)
            if field is not None}


@pytest.mark.parametrize("key", MESSAGES)
def test_identify_every_template(key):
    assert identify(MESSAGES[key].format(**dummy_values(MESSAGES[key]))) == key


@pytest.mark.parametrize("key", MESSAGES)
def test_say_every_template(key):
    assert identify(say(key, **dummy_values(MESSAGES[key]))) == key


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
