"""The kit's nbgrader plugins, one at a time, on small notebooks (as nbgrader tests its preprocessors)."""
import copy
import functools
import random
from pathlib import Path

import nbformat
import nbgrader
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from traitlets.config import Config

from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.preprocessors import CheckCellMetadata

from initgrader.plugins.checkmetadata import CompiledCheckCellMetadata, CompiledMetadataValidator
from initgrader.plugins.execute import SandboxedExecute
from initgrader.plugins.grader_namespace import GraderNamespace, StudentFunction, loaded_names
from initgrader.reports.feedback import ShowCheckResults
from support.course import ASSIGNMENTS, KIT, KIT_ASSIGNMENT, SQUARES


def nbgrader_meta(grade_id, *, grade=False, solution=False, locked=False, points=None, **extra):
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id, "schema_version": 3}
    if points is not None:
        meta["points"] = points
    meta.update(extra)
    return {"nbgrader": meta}


def solution(grade_id, source):
    return new_code_cell(source, metadata=nbgrader_meta(grade_id, solution=True))


def grade_cell(grade_id, source, points=1):
    return new_code_cell(source, metadata=nbgrader_meta(grade_id, grade=True, locked=True, points=points))


# -- GraderNamespace -----------------------------------------------------------

class FakeStudent:
    """A student process stand-in: its values arrive as copies, its functions are called by name."""

    def __init__(self, **namespace):
        self.namespace = namespace
        self.calls = []

    def lookup(self, names):
        found = {}
        for name in names:
            value = self.namespace.get(name, KeyError)
            if value is KeyError:
                found[name] = ("missing", None)
            elif callable(value):
                found[name] = ("function", None)
            else:
                found[name] = ("value", copy.deepcopy(value))
        return found

    def call(self, name, *args, **kwargs):
        self.calls.append(name)
        return self.namespace[name](*args, **kwargs)


def test_loaded_names_are_what_the_cell_reads_without_binding():
    source = "import numpy as np\nfrom math import pi\ny = f(x) + len(z)\ndef g():\n    return pi * y\nprint(g(), w)"
    assert sorted(loaded_names(source)) == ["f", "w", "x", "z"]


def test_test_cells_see_functions_as_proxies_and_values_as_copies():
    data = [1, 2]
    student = FakeStudent(double=lambda v: 2 * v, data=data)
    grader = GraderNamespace(student)
    stdout, error, _ = grader.run("data.append(3)\nprint(double(21), data)")
    assert (stdout, error) == ("42 [1, 2, 3]\n", None)
    assert data == [1, 2] and student.calls == ["double"]
    fetched = grader.fetch(["double", "data", "nothing"])
    assert isinstance(fetched["double"], StudentFunction) and fetched["data"] == [1, 2]
    assert "nothing" not in fetched


def test_names_test_cells_bind_persist_but_student_names_are_fetched_again():
    student = FakeStudent(value=1)
    grader = GraderNamespace(student)
    assert grader.run("expected = value + 1")[1] is None
    student.namespace["value"] = 5
    stdout, error, _ = grader.run("print(expected, value)")
    assert (stdout, error) == ("2 5\n", None)
    assert "value" not in grader.trusted


def test_failures_are_returned_and_stderr_never_reaches_the_cell():
    grader = GraderNamespace(FakeStudent(f=lambda: 0))
    stdout, error, _ = grader.run("import sys, warnings\nsys.stderr.write('noise')\nwarnings.warn('w')\n"
                                  "assert f() == 1, 'f() should be 1'")
    assert stdout == "" and isinstance(error, AssertionError) and str(error) == "f() should be 1"
    assert isinstance(grader.run("def (")[1], SyntaxError)


# -- SandboxedExecute ----------------------------------------------------------

@pytest.fixture
def execute(tmp_path, monkeypatch):
    """A SandboxedExecute for alice's submission of ps1 in a small course, and its resources."""
    # outside an nbgrader run, the plugins find the course in the working directory, as nbgrader would
    monkeypatch.chdir(tmp_path)
    (tmp_path / "submitted" / "alice" / "ps1").mkdir(parents=True)
    (tmp_path / "submitted" / "alice" / "ps1" / "mine.txt").write_text("alice's notes")
    (tmp_path / "source" / "ps1").mkdir(parents=True)
    (tmp_path / "source" / "ps1" / "data.txt").write_text("1 2 3")
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    config.SandboxedExecute.cell_timeout = 2
    config.SandboxedExecute.call_timeout = 2
    resources = {"nbgrader": {"student": "alice", "assignment": "ps1", "notebook": "nb"}}
    return SandboxedExecute(config=config), resources


def small_notebook(*cells):
    nb = new_notebook(cells=list(cells))
    nb.metadata["initgrader"] = {"reasons": []}
    return nb


def test_cells_run_in_the_sandbox_and_tests_in_the_grader(execute):
    preprocessor, resources = execute
    nb = small_notebook(
        new_code_cell("data = [float(x) for x in open('data.txt').read().split()]\nprint(open('mine.txt').read())"),
        solution("total", "def total(xs):\n    return sum(xs)"),
        grade_cell("test_total", "assert total(data) == 6"),
        grade_cell("test_wrong", "assert total([1]) == 2, 'total([1]) should be 1... or so the test says'"),
        grade_cell("test_error", "total(None)"),
        new_code_cell("raise RuntimeError('a figure')", metadata={"tags": ["demo"]}),
    )
    nb, _ = preprocessor.preprocess(nb, resources)
    first, _, passed, failed, errored, demo = nb.cells
    assert first.outputs == [new_output("stream", name="stdout", text="alice's notes\n")]
    assert passed.outputs == [] and passed.metadata.initgrader["status"] == "passed"
    assert [o.ename for o in failed.outputs] == ["AssertionError"]
    assert failed.metadata.initgrader["status"] == "failed"
    assert failed.metadata.initgrader["message"] == "total([1]) should be 1... or so the test says"
    assert errored.metadata.initgrader["status"] == "error" and errored.outputs[0].output_type == "error"
    assert demo.outputs == [] and demo.get("execution_count") is None
    assert nb.metadata.initgrader["status"] == "graded"
    assert nb.metadata.initgrader["isolation"]


def test_a_looping_cell_is_stopped_and_says_why(execute):
    preprocessor, resources = execute
    nb = small_notebook(
        solution("f", "def f():\n    return 1"),
        new_code_cell("while True:\n    pass"),
        grade_cell("test_f", "assert f() == 1"),
    )
    nb, _ = preprocessor.preprocess(nb, resources)
    assert [o.ename for o in nb.cells[1].outputs if o.output_type == "error"] == ["CellTimeout"]
    assert nb.cells[2].metadata.initgrader["status"] == "passed"
    assert any("was stopped" in reason for reason in nb.metadata.initgrader["reasons"])


def test_a_reason_that_reads_like_a_refusal_is_not_one(execute):
    preprocessor, resources = execute
    nb = small_notebook(solution("f", "def f():\n    return 1"), grade_cell("test_f", "assert f() == 1"))
    nb.metadata.initgrader["reasons"] = ["Not graded: words from a note, not the exporter's verdict."]
    nb, _ = preprocessor.preprocess(nb, resources)
    assert nb.cells[1].metadata.initgrader["status"] == "passed"


def test_an_unreadable_submission_fails_every_test_with_its_reason(execute):
    preprocessor, resources = execute
    nb = small_notebook(solution("f", "def f():\n    return 1"), grade_cell("test_f", "assert f() == 1"))
    nb.metadata.initgrader["reasons"] = ["Not graded: the notebook could not be read."]
    nb.metadata.initgrader["unreadable"] = "Not graded: the notebook could not be read."
    nb, _ = preprocessor.preprocess(nb, resources)
    state = nb.cells[1].metadata.initgrader
    assert (state["status"], state["message"]) == ("unreadable", "Not graded: the notebook could not be read.")
    assert nb.metadata.initgrader["status"] == "unreadable"


def test_the_notebooks_output_and_the_students_own_cells_are_bounded(execute):
    # per-cell caps times 15 000 one-line cells made a 605 MB graded notebook
    preprocessor, resources = execute
    preprocessor.max_output_chars, preprocessor.max_extra_cells = 50_000, 12
    printer = new_code_cell("import sys\ndef p(i):\n    print(i, 'A' * 20_000); sys.stderr.write('B' * 20_000)")
    # the student's cells come first: the solution and test cells after them must run all the same
    nb = small_notebook(printer, *[new_code_cell(f"p({i})") for i in range(30)],
                        solution("f", "def f():\n    return 1"), grade_cell("test_f", "assert f() == 1"),
                        new_code_cell("p(99)"))
    nb, _ = preprocessor.preprocess(nb, resources)
    texts = [output.get("text", "") for cell in nb.cells for output in cell.outputs]
    assert sum(map(len, texts)) < 50_000 + 40 * 200
    assert texts[0].startswith("0 AAA") and "Output cut" in texts[2] and "Output cut" in texts[-2]
    reason = "more than 12 code cells of its own"
    assert [cell.execution_count for cell in nb.cells[:14]] == [*range(1, 13), None, None]
    assert reason in nb.cells[12].outputs[0].text and not nb.cells[13].outputs
    assert any(reason in r for r in nb.metadata.initgrader["reasons"])
    assert nb.cells[-2].metadata.initgrader["status"] == "passed" and nb.cells[-3].execution_count == 13
    assert nb.cells[-1].execution_count is None


# -- ShowCheckResults ----------------------------------------------------------

def graded(cell, score):
    """A test cell as nbgrader's GetGrades leaves it for feedback."""
    cell.metadata.nbgrader["score"] = score
    return cell


def test_feedback_gets_a_summary_and_a_verdict_under_each_test():
    passed = graded(grade_cell("test_ok", "assert True", points=2), 2)
    failed = graded(grade_cell("test_bad", "assert False", points=3), 0)
    failed.outputs = [new_output("error", ename="AssertionError", evalue="<b>no</b> good", traceback=[])]
    timed_out = graded(grade_cell("test_slow", "f()", points=1), 0)
    timed_out.metadata["initgrader"] = {"status": "timeout", "message": "f() took too long", "misconception": None}
    nb = new_notebook(cells=[new_markdown_cell("# Title"), passed, failed, timed_out])
    nb, _ = ShowCheckResults().preprocess(nb, {})
    summary = nb.cells[0].outputs[0].data["text/html"]
    assert nb.cells[0].metadata["transient"] == {"remove_source": True}
    for name in ("test_ok", "test_bad", "test_slow"):
        assert f"<code>{name}</code>" in summary
    assert "&lt;b&gt;no&lt;/b&gt; good" in summary and "<b>no</b>" not in summary
    verdicts = [cell.outputs[0].data["text/html"] for cell in nb.cells[2:]]
    assert 'ig-passed"><b>Passed</b>' in verdicts[0] and "2 / 2 points" in verdicts[0]
    assert 'ig-failed"><b>Failed</b>' in verdicts[1] and "0 / 3 points" in verdicts[1]
    assert "<b>Timed out</b>" in verdicts[2] and "f() took too long" in verdicts[2]
    assert nb.cells[3].outputs[1].ename == "AssertionError"


def test_feedback_without_tests_is_left_alone():
    nb = new_notebook(cells=[new_markdown_cell("# Title"), new_code_cell("x = 1")])
    assert ShowCheckResults().preprocess(copy.deepcopy(nb), {})[0] == nb


# -- CompiledCheckCellMetadata: nbgrader's checks, faster ------------------------

def outcome(validator, nb):
    """What validating ``nb`` does: nothing, or an error of a type with a message."""
    try:
        validator.validate_nb(copy.deepcopy(nb))
    except Exception as error:
        return type(error).__name__, str(error)
    return None


@functools.cache
def notebooks_to_compare():
    """The kit's and the fixture's notebooks, nbgrader's own test notebooks, and broken copies of them."""
    paths = [ASSIGNMENTS[KIT_ASSIGNMENT] / f"{KIT_ASSIGNMENT}.ipynb", KIT / "release" / KIT_ASSIGNMENT /
             f"{KIT_ASSIGNMENT}.ipynb", ASSIGNMENTS[SQUARES] / f"{SQUARES}.ipynb"]
    paths += sorted((Path(nbgrader.__file__).parent / "tests" / "preprocessors" / "files").glob("*.ipynb"))
    notebooks = {path.name: nbformat.read(path, as_version=4) for path in paths}
    valid = notebooks[f"{SQUARES}.ipynb"]
    cells = [i for i, cell in enumerate(valid.cells) if "nbgrader" in cell.metadata]
    broken_values = [None, "", "x y", "3", 3.5, -1, True, [], {}, "a" * 32, "a" * 31, "code", "raw", "markdown"]
    fields = ["schema_version", "grade", "locked", "solution", "task", "grade_id", "points", "checksum",
              "cell_type", "unknown"]
    rng = random.Random(0)
    for field in fields:
        for value in broken_values:
            nb = copy.deepcopy(valid)
            nb.cells[rng.choice(cells)].metadata.nbgrader[field] = value
            notebooks[f"{field}={value!r}"] = nb
        nb = copy.deepcopy(valid)
        nb.cells[rng.choice(cells)].metadata.nbgrader.pop(field, None)
        notebooks[f"without {field}"] = nb
    for index in cells:
        for cell_type in ("markdown", "code", "raw"):
            nb = copy.deepcopy(valid)
            nb.cells[index].cell_type = cell_type
            notebooks[f"cell {index} as {cell_type}"] = nb
    nb = copy.deepcopy(valid)
    nb.cells.append(copy.deepcopy(nb.cells[cells[0]]))
    notebooks["duplicate grade id"] = nb
    return notebooks


@pytest.mark.parametrize("name,nb", list(notebooks_to_compare().items()))
def test_compiled_validator_agrees_with_nbgraders(name, nb):
    assert outcome(CompiledMetadataValidator(), nb) == outcome(MetadataValidator(), nb)


def test_the_comparison_covers_valid_and_invalid_notebooks():
    outcomes = [outcome(MetadataValidator(), nb) for nb in notebooks_to_compare().values()]
    assert outcomes.count(None) >= 10
    assert {kind for kind, _ in filter(None, outcomes)} >= {"ValidationError", "SchemaTooOldError",
                                                            "SchemaTooNewError"}


def test_compiled_preprocessor_raises_as_nbgraders_does():
    nb = notebooks_to_compare()["duplicate grade id"]
    for preprocessor in (CheckCellMetadata(), CompiledCheckCellMetadata()):
        with pytest.raises(ValidationError, match="Notebook failed to validate"):
            preprocessor.preprocess(copy.deepcopy(nb), {})
    valid = notebooks_to_compare()[f"{SQUARES}.ipynb"]
    assert CompiledCheckCellMetadata().preprocess(copy.deepcopy(valid), {})[0] == valid
