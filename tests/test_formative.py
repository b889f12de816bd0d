"""The visible tests teach: most mistakes fail the visible test of their own function, with the hidden check's message.

Each corpus answer runs through the visible check of each function it defines
(``self_check.check_<function>``, what the release's test cells call, with the
reference's forward propagation and cost where the gradient check needs them,
as in a planted notebook). Every correct answer must pass; at least 85% of the
wrong ones must fail with the very key the hidden check names.

    .venv/bin/python -m pytest tests/test_formative.py -q -s
"""

import pytest

from initgrader import reference as ref
from initgrader.checks import CHECKS, CheckFailed
from initgrader.checks import self_check

from corpus.loader import correct_files, graded, load, wrong_files

SHARE = 0.85


def visible(name, function):
    """The key the visible test of ``name`` fails ``function`` with, or None."""
    check = getattr(self_check, f"check_{name}")
    extra = (ref.forward_propagation, ref.compute_cost) if name == "backward_propagation" else ()
    try:
        check(function, *extra)
    except CheckFailed as error:
        return error.key
    return None


@pytest.mark.parametrize("name", CHECKS)
def test_reference_passes_every_visible_test(name, capsys):
    assert visible(name, getattr(ref, name)) is None
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("path", correct_files(), ids=lambda path: path.stem)
def test_correct_answers_pass_every_visible_test(path):
    failures = {name: visible(name, function) for name, function in graded(load(path)).items()}
    assert set(failures.values()) == {None}, failures


def test_most_mistakes_fail_their_visible_test_with_the_hidden_message():
    caught, missed = [], []
    for path in wrong_files():
        module = load(path)
        for name, function in graded(module).items():
            key = visible(name, function)
            (caught if key == module.EXPECTED[name] else missed).append(f"{path.stem}::{name} -> {key}")
    share = len(caught) / (len(caught) + len(missed))
    print(f"\nvisible tests name {len(caught)} of {len(caught) + len(missed)} mistakes ({share:.0%}); "
          f"not named: {missed}")
    assert share >= SHARE, missed
