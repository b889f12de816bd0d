"""The kit's nbgrader plugins at the ingest boundary: SafeNotebookExporter, RebuildFromSource and the hook.

The course here renames every folder nbgrader uses (source/, release/, submitted/, autograded/) and the
quarantine, and is graded through each way nbgrader runs Autograde: the command line, a converter built
directly (as grading workers do) and the formgrader's API.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.api import Gradebook
from nbgrader.apps.api import NbGraderAPI
from nbgrader.apps.autogradeapp import AutogradeApp
from nbgrader.converters import Autograde, NbGraderException

from initgrader import ingest
from initgrader.ingest import context
from initgrader.plugins.exporter import SafeNotebookExporter
from initgrader.plugins.hooks import admit_submission
from initgrader.plugins.rebuild import RebuildFromSource
from support.trees import renames_as_a_user

KIT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
ASSIGNMENT = "toy"
STAMP = "2030-01-01 10:00:00.000000 UTC"
RENAMED = """
c.CourseDirectory.source_directory = "instructor"
c.CourseDirectory.release_directory = "handout"
c.CourseDirectory.submitted_directory = "handed_in"
c.CourseDirectory.autograded_directory = "marked"
c.Ingest.quarantine_directory = "held"
c.SandboxedExecute.cell_timeout = 5
c.SandboxedExecute.submission_timeout = 30
"""
ANSWER = "def squares(n):\n    return [i * i for i in range(n)]"


def nbgrader_cell(cell, grade_id, **flags):
    cell.metadata["nbgrader"] = dict({"grade": False, "solution": False, "locked": False, "task": False},
                                     grade_id=grade_id, schema_version=3, **flags)
    return cell


def source_notebook():
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                               "language": "python"}})
    nb.cells = [
        new_markdown_cell("# Toy"),
        nbgrader_cell(new_code_cell("def squares(n):\n    ### BEGIN SOLUTION\n    return [i * i for i in range(n)]"
                                    "\n    ### END SOLUTION"), "squares", solution=True),
        nbgrader_cell(new_code_cell("assert squares(3) == [0, 1, 4]"), "test_squares", grade=True, locked=True,
                      points=2),
    ]
    return nb


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A course with every folder renamed and the toy assignment generated."""
    root = tmp_path_factory.mktemp("renamed") / "course"
    (root / "instructor" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(KIT / "nbgrader_config.py", root)
    with open(root / "nbgrader_config.py", "a") as handle:
        handle.write(RENAMED)
    nbformat.write(source_notebook(), root / "instructor" / ASSIGNMENT / "toy.ipynb")
    (root / "instructor" / ASSIGNMENT / "data.txt").write_text("1 2 3\n")
    run = subprocess.run([str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT, "--log-level=ERROR"], cwd=root,
                         env=ENV, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return root


@pytest.fixture
def course(template, tmp_path):
    root = tmp_path / "course"
    shutil.copytree(template, root, symlinks=True)
    return root


def submit(root, student, answer=ANSWER):
    folder = root / "handed_in" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text(STAMP)
    nb = nbformat.read(root / "handout" / ASSIGNMENT / "toy.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "squares":
            cell.source = answer
    nbformat.write(nb, folder / "toy.ipynb")
    return folder


def plant_class(root):
    """An honest student and one attack per kind of filesystem object."""
    source = root / "instructor" / ASSIGNMENT / "toy.ipynb"
    submit(root, "honest")
    folder = submit(root, "hardlink")
    (folder / "toy.ipynb").unlink()
    os.link(source, folder / "toy.ipynb")
    folder = submit(root, "pipes")
    (folder / "timestamp.txt").unlink()
    os.mkfifo(folder / "timestamp.txt")
    os.symlink(source, folder / "notes.json")
    folder = submit(root, "linked-folder")
    shutil.rmtree(folder)
    os.symlink(source.parent, folder)
    # nbgrader reads a student id as a glob pattern: "glob[h]" matches "globh"'s folder, not its own
    submit(root, "globh")
    submit(root, "glob[h]", answer="def squares(n):\n    return []")


STUDENTS = ["honest", "hardlink", "pipes", "linked-folder", "globh", "glob[h]"]


def scores(root):
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {s.student_id: s.score for s in gb.assignment_submissions(ASSIGNMENT)}


def reasons(root, student):
    nb = nbformat.read(root / "marked" / student / ASSIGNMENT / "toy.ipynb", as_version=4)
    return nb.metadata["initgrader"]


def check_graded(root):
    assert scores(root) == {"honest": 2, "hardlink": 0, "pipes": 2, "linked-folder": 0, "globh": 2, "glob[h]": 0}
    assert "hard link" in reasons(root, "hardlink")["reasons"][0]
    assert {r["kind"] for r in reasons(root, "pipes")["refused"]} == {"fifo", "symlink"}
    linked = reasons(root, "linked-folder")["reasons"][0]
    assert "assignment folder handed_in/linked-folder/toy is a symbolic link" in linked
    moved = {r["path"]: r["moved_to"] for r in reasons(root, "pipes")["refused"]}
    assert moved["notes.json"].startswith("held/pipes/toy/") and os.path.islink(root / moved["notes.json"])
    assert not (root / "quarantine").exists() and not (root / "submitted").exists()
    secret = (root / "instructor" / ASSIGNMENT / "toy.ipynb").read_bytes()
    assert not [p for p in (root / "marked").rglob("*") if p.is_file() and p.read_bytes() == secret]
    assert sorted(os.listdir(root / "marked" / "honest" / ASSIGNMENT)) == ["data.txt", "timestamp.txt", "toy.ipynb"]


def test_nbgrader_autograde_from_the_command_line(course):
    plant_class(course)
    run = subprocess.run([str(BIN / "nbgrader"), "autograde", ASSIGNMENT], cwd=course, env=ENV,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    check_graded(course)


def test_a_converter_built_directly_as_workers_build_it(course):
    plant_class(course)
    app = context.load_app(str(course))
    assert not AutogradeApp.initialized()
    app.coursedir.assignment_id = ASSIGNMENT
    Autograde(coursedir=app.coursedir, config=app.config).start()
    check_graded(course)


def test_the_formgraders_autograde_button(course):
    plant_class(course)
    app = context.load_app(str(course))
    api = NbGraderAPI(coursedir=app.coursedir, config=app.config)
    for student in STUDENTS:
        result = api.autograde(ASSIGNMENT, student)
        assert result["success"], result.get("error")
    check_graded(course)


# -- the pieces, one at a time -------------------------------------------------------

def converter_for(course, listed=True):
    """An Autograde converter of the course, stopped where nbgrader builds its exporter."""
    app = context.load_app(str(course))
    app.coursedir.assignment_id = ASSIGNMENT
    converter = Autograde(coursedir=app.coursedir, config=app.config)
    if listed:
        converter.init_notebooks()
    return converter


def test_the_exporter_admits_every_submission_before_nbgrader_reads_one(course):
    plant_class(course)
    (course / "handed_in" / "new\nline" / ASSIGNMENT).mkdir(parents=True)
    (course / "handed_in" / "new\nline" / ASSIGNMENT / "toy.ipynb").write_text("{}")
    undecodable = os.path.join(bytes(course), b"handed_in", b"\xff", ASSIGNMENT.encode())
    os.makedirs(undecodable)
    with open(os.path.join(undecodable, b"toy.ipynb"), "w") as handle:
        handle.write("{}")
    converter = converter_for(course)
    folders = {os.path.basename(os.path.dirname(f)): f for f in converter.assignments}
    assert {"new\nline", "\udcff"} <= set(folders)
    assert converter.assignments[folders["glob[h]"]] == [os.path.join(folders["globh"], "toy.ipynb")]
    exporter = SafeNotebookExporter(parent=converter, config=converter.config)
    folders = {os.path.basename(os.path.dirname(f)): f for f in converter.assignments}
    assert "new\nline" not in folders  # nbgrader's own pattern cannot match it: it would stop the whole run
    assert "\udcff" not in folders  # the gradebook cannot store it
    assert converter.assignments[folders["glob[h]"]] == [os.path.join(folders["glob[h]"], "toy.ipynb")]
    assert not os.path.lexists(course / "handed_in" / "pipes" / ASSIGNMENT / "timestamp.txt")
    assert os.listdir(course / "handed_in" / "linked-folder") == []
    assert context.running(converter.notebooks) == (converter, exporter)
    assert context.running([]) is None  # a hook is told the run's own list of notebooks, not another


def test_the_exporter_reads_a_submission_into_a_notebook_or_a_reason(course):
    plant_class(course)
    converter = converter_for(course)
    exporter = SafeNotebookExporter(parent=converter, config=converter.config)

    def export(student):
        resources = {"nbgrader": {"student": student, "assignment": ASSIGNMENT, "notebook": "toy"}}
        path = course / "handed_in" / student / ASSIGNMENT / "toy.ipynb"
        output, resources = exporter.from_filename(str(path), resources)
        return nbformat.reads(output, as_version=4), resources

    nb, resources = export("honest")
    assert ANSWER in [cell.source for cell in nb.cells] and "initgrader_reasons" not in resources
    nb, resources = export("hardlink")
    assert nb.cells == [] and resources["initgrader_reasons"][0].startswith("Not graded: toy.ipynb is a hard link")
    assert resources["initgrader_refused"][0]["kind"] == "hardlink"
    nb, resources = export("pipes")
    assert ANSWER in [cell.source for cell in nb.cells]
    assert all(reason.startswith("Not read: ") for reason in resources["initgrader_reasons"])


def test_rebuild_carries_the_refusals_into_the_notebook_metadata(course):
    converter = converter_for(course, listed=False)
    exporter = SafeNotebookExporter(parent=converter, config=converter.config)
    rebuild = RebuildFromSource(parent=exporter)
    refused = [{"path": "x", "kind": "fifo", "reason": "x is a named pipe (FIFO), not a file", "moved_to": None}]
    resources = {"nbgrader": {"assignment": ASSIGNMENT, "notebook": "toy"}, "initgrader_reasons": ["Not read: x"],
                 "initgrader_refused": refused}
    nb, _ = rebuild.preprocess(new_notebook(), resources)
    assert nb.metadata["initgrader"]["refused"] == refused
    assert nb.metadata["initgrader"]["reasons"][0] == "Not read: x"
    assert [cell.metadata["nbgrader"]["grade_id"] for cell in nb.cells] == ["squares", "test_squares"]


def test_rebuild_keeps_a_bounded_number_of_the_students_own_cells(course):
    # 50 000 one-line cells grew into a graded notebook past the ingest's bounds, graded as empty without a reason
    converter = converter_for(course, listed=False)
    rebuild = RebuildFromSource(parent=SafeNotebookExporter(parent=converter, config=converter.config))
    rebuild.max_extra_cells = 5
    submitted = nbformat.read(course / "handout" / ASSIGNMENT / "toy.ipynb", as_version=4)
    submitted.cells[:0] = [new_code_cell(f"x = {i}") for i in range(4)]
    submitted.cells += [new_markdown_cell(f"note {i}") for i in range(4)]
    resources = {"nbgrader": {"assignment": ASSIGNMENT, "notebook": "toy"}}
    nb, _ = rebuild.preprocess(submitted, resources)
    own = [cell.source for cell in nb.cells if "nbgrader" not in cell.metadata]
    assert own == ["x = 0", "x = 1", "x = 2", "x = 3", "# Toy"]
    assert [cell.metadata["nbgrader"]["grade_id"] for cell in nb.cells if "nbgrader" in cell.metadata] == \
        ["squares", "test_squares"]
    assert nb.metadata["initgrader"]["reasons"] == [
        "The submission has 9 cells of its own; the last 4 were left out of the graded notebook, which keeps 5."]


def test_the_hook_finds_the_course_config_without_a_running_exporter(course, monkeypatch):
    plant_class(course)
    monkeypatch.chdir(course)
    notebooks = [str(course / "handed_in" / "pipes" / ASSIGNMENT / "other.ipynb")]
    admit_submission(assignment=ASSIGNMENT, student="*", notebooks=notebooks)
    assert not os.path.lexists(course / "handed_in" / "pipes" / ASSIGNMENT / "notes.json")
    assert [p for p in (course / "held" / "pipes" / ASSIGNMENT).iterdir() if p.name != ingest.quarantine.RECORD]
    assert notebooks[-1] == str(course / "handed_in" / "pipes" / ASSIGNMENT / "toy.ipynb")


def test_folders_named_as_the_grader_names_its_files_are_graded_and_get_feedback(course):
    submit(course, "honest")
    folder = submit(course, "clash")
    for name in ("data.txt", "toy.html"):
        (folder / name).mkdir()
        (folder / name / "x").write_text("")
    for command in (["autograde", ASSIGNMENT], ["generate_feedback", ASSIGNMENT]):
        run = subprocess.run([str(BIN / "nbgrader"), *command], cwd=course, env=ENV, capture_output=True, text=True,
                             timeout=300)
        assert run.returncode == 0, run.stderr[-3000:]
    assert scores(course) == {"honest": 2, "clash": 2}
    assert {r["path"]: r["kind"] for r in reasons(course, "clash")["refused"]} == {"data.txt": "grader-file",
                                                                                  "toy.html": "grader-file"}
    assert (course / "marked" / "clash" / ASSIGNMENT / "data.txt").is_file()
    assert (course / "feedback" / "clash" / ASSIGNMENT / "toy.html").is_file()


def test_what_cannot_be_moved_is_graded_as_missing_or_fails_the_run(course, monkeypatch):
    renames_as_a_user(monkeypatch)
    submit(course, "honest")
    folder = submit(course, "locked")
    (folder / "ro").mkdir()
    os.symlink("/etc/passwd", folder / "ro" / "link")
    os.chmod(folder / "ro", 0o555)
    folder = submit(course, "sealed")
    os.symlink("/etc/passwd", folder / "link")
    os.chmod(folder, 0o555)
    app = context.load_app(str(course))
    app.coursedir.assignment_id = ASSIGNMENT
    with pytest.raises(NbGraderException, match="1 submission.* not graded: .*handed_in/sealed/toy"):
        Autograde(coursedir=app.coursedir, config=app.config).start()
    assert scores(course) == {"honest": 2, "locked": 0}
    locked = reasons(course, "locked")
    assert locked["reasons"][0].startswith("Not graded: ro/link is a symbolic link, and could not move ro/link")
    assert [r["kind"] for r in locked["refused"]] == ["symlink", "unmovable"]
    assert not (course / "marked" / "sealed").exists()
