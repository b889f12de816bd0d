"""Test cells import the assignment's own modules from the trusted source folder, and keep their asserts under -O.

    .venv/bin/python -m pytest tests/test_grader_namespace.py -q
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from initgrader.plugins.grader_namespace import GraderNamespace

KIT = Path(__file__).resolve().parent.parent


class FakeStudent:
    """What the sandbox handle offers a GraderNamespace: a lookup of names and calls of functions."""

    def __init__(self, functions=(), values=None):
        self.functions = dict(functions)
        self.values = dict(values or {})

    def lookup(self, names):
        found = {}
        for name in names:
            if name in self.functions:
                found[name] = ("function", None)
            elif name in self.values:
                found[name] = ("value", self.values[name])
            else:
                found[name] = ("missing", None)
        return found

    def call(self, name, *args, **kwargs):
        return self.functions[name](*args, **kwargs)


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A trusted source folder, and a submission folder holding a forged copy of the same module."""
    source = tmp_path / "source" / "assignment"
    source.mkdir(parents=True)
    (source / "helper.py").write_text("ORIGIN = 'trusted'\n\ndef verdict(value):\n    return value == 42\n")
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "helper.py").write_text("ORIGIN = 'forged'\n\ndef verdict(value):\n    return True\n")
    monkeypatch.chdir(submission)
    monkeypatch.syspath_prepend(str(submission))
    return source


def test_support_module_comes_from_the_source_folder(course):
    grader = GraderNamespace(FakeStudent(), support=course)
    _, error, _ = grader.run("import helper\nassert helper.ORIGIN == 'trusted', helper.ORIGIN")
    assert error is None, error
    _, error, _ = grader.run("from helper import verdict\nassert not verdict(41)")
    assert error is None, error


def test_each_submission_gets_a_fresh_support_module(course):
    # the compiled code is shared between submissions; what one submission's test cells changed is not
    first = GraderNamespace(FakeStudent(), support=course)
    _, error, _ = first.run("import helper\nhelper.ORIGIN = 'changed'")
    assert error is None, error
    second = GraderNamespace(FakeStudent(), support=course)
    _, error, _ = second.run("import helper\nassert helper.ORIGIN == 'trusted', helper.ORIGIN")
    assert error is None, error


def test_an_edited_support_module_is_compiled_again(course):
    GraderNamespace(FakeStudent(), support=course).run("import helper")
    (course / "helper.py").write_text("ORIGIN = 'edited'\n")
    _, error, _ = GraderNamespace(FakeStudent(), support=course).run("import helper\nassert helper.ORIGIN == 'edited'")
    assert error is None, error


def test_support_module_is_never_taken_from_the_submission(course):
    # the submission defines a variable of the module's name: the import binds the trusted module instead
    grader = GraderNamespace(FakeStudent(values={"helper": "forged"}), support=course)
    _, error, _ = grader.run("import helper\nassert helper.ORIGIN == 'trusted'")
    assert error is None, error


def test_without_a_source_folder_imports_resolve_as_usual(course):
    # which is why grading always passes the source folder: on sys.path lies whatever was put there
    grader = GraderNamespace(FakeStudent(), support=None)
    _, error, _ = grader.run("import helper\nassert helper.ORIGIN == 'trusted', helper.ORIGIN")
    assert isinstance(error, AssertionError) and "forged" in str(error)


def test_support_modules_are_single_files(course):
    grader = GraderNamespace(FakeStudent(), support=course)
    _, error, _ = grader.run("import helper.inner")
    assert isinstance(error, ImportError)


def test_other_imports_work_as_usual(course):
    grader = GraderNamespace(FakeStudent(), support=course)
    _, error, _ = grader.run("import numpy as np\nfrom math import pi\nassert np.isclose(pi, 3.14159, atol=1e-5)")
    assert error is None, error


def test_the_shipped_self_check_is_loaded_and_grades_through_the_proxy():
    """The real self_check.py of the assignment, run by a test cell against a submission's function."""
    source = KIT / "source" / "random_initialization"
    student = FakeStudent(functions={"compute_cost": lambda A2, Y: 0.5})
    grader = GraderNamespace(student, support=source)
    _, error, _ = grader.run("import self_check\nself_check.check_compute_cost(compute_cost)")
    assert getattr(error, "key", None) == "wrong-value", error


OPTIMIZED_CELL = """
import sys
from initgrader.plugins.grader_namespace import GraderNamespace
class Nobody:
    def lookup(self, names):
        return {name: ("missing", None) for name in names}
_, error, _ = GraderNamespace(Nobody()).run("assert 1 == 2, 'still checked'")
print(sys.flags.optimize, type(error).__name__, error)
"""


def test_test_cell_asserts_hold_under_python_optimize():
    run = subprocess.run([sys.executable, "-O", "-c", OPTIMIZED_CELL], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONOPTIMIZE="1"), check=True)
    assert run.stdout.split(maxsplit=1) == ["1", "AssertionError still checked\n"]
