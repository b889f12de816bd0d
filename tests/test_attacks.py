"""Adversarial end to end: one batch of attack submissions between honest ones, graded by each path in.

The batch is graded twice: by plain `nbgrader autograde` and by the parallel `initgrader autograde`; every
test below holds for both.

Every module in tests/attacks/ is one submission. It says how it is planted:

- ``ANSWERS``: "reference" (default) or "empty": what the solution cells hold before the attack;
- ``WHERE`` + ``CODE``: a solution cell's grade id (``CODE`` is appended, or replaces the answer when
  ``REPLACE``), or "extra-cell" (a new code cell after the graded cell ``AFTER``, default "imports");
- ``REPLACE_CELLS`` / ``APPEND_CELLS``: {grade id: code} for several solution cells;
- ``mutate(nb: dict) -> dict | bytes``: JSON-level changes to the planted notebook;
- ``FILES`` / ``LINKS``: extra files and symbolic links in the submission folder;
- ``NOTEBOOK``: the file name of the notebook (None: no notebook written).

``@COURSE@`` in any text is replaced by the temporary course folder, so attacks can aim at real paths.
``EXPECT`` maps test cells to "zero" (must score 0), "full" (must keep every point) or "any"; "*" is the
default. ``REASON`` is text the autograded notebook's reasons must contain.
"""
import hashlib
import importlib.util
import json
import os
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell
from nbgrader import utils
from nbgrader.api import Gradebook

from support import course as courses
from support.classroom import plant, solution_answers
from support.gradebooks import grade_rows, sqlite_url

pytestmark = pytest.mark.slow

KIT = courses.KIT
ATTACKS = KIT / "tests" / "attacks"
ASSIGNMENT = courses.KIT_ASSIGNMENT
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
HONEST = ["a-honest", "m-honest", "z-honest"]  # graded before, among and after the attackers
WALL_LIMIT = 15 * 60
LIMITS = """
# small limits so the attack batch is quick
c.SandboxedExecute.cell_timeout = 5
c.SandboxedExecute.call_timeout = 3
c.SandboxedExecute.submission_timeout = 40
c.SandboxedExecute.memory_limit = 1024**3
"""
SUBMISSION_TIMEOUT, CALL_TIMEOUT = 40, 3
AUTOGRADED_POINTS, TOTAL_POINTS = 24, 29
INFRASTRUCTURE = {"timeout", "crashed", "unreadable"}

# Attacks that currently succeed: reported, and kept visible as strict xfails.
KNOWN = {}


def load(path):
    spec = importlib.util.spec_from_file_location(f"attack_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ATTACK_FILES = sorted(path for path in ATTACKS.glob("*.py") if not path.name.startswith("_"))


def student_of(path):
    return "b-" + path.stem.replace("_", "-")


RENAMED = student_of(ATTACKS / "renamed_notebook.py")


GRADERS = {
    "nbgrader": ("nbgrader", ["autograde", ASSIGNMENT, "--log-level=INFO"]),
    "initgrader": ("initgrader", ["autograde", ASSIGNMENT, "--workers", "2"]),
}


def new_course(folder):
    return courses.new_course(folder, config=courses.kit_config() + LIMITS)


def notebooks(course):
    release = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    source = nbformat.read(course / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    return release, source


def folder_of(course, student):
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    return folder


def plant_honest(course, student):
    release, source = notebooks(course)
    nbformat.write(plant(release, solution_answers(source)), folder_of(course, student) / NOTEBOOK)


def plant_attack(course, student, attack):
    bake = lambda text: text.replace("@COURSE@", str(course))  # noqa: E731
    release, source = notebooks(course)
    answers = solution_answers(source)
    if getattr(attack, "ANSWERS", "reference") == "empty":
        answers = {key: "" for key in answers}
    nb = plant(release, answers)
    by_id = {cell.metadata.nbgrader["grade_id"]: cell for cell in nb.cells if "nbgrader" in cell.metadata}
    replace = dict(getattr(attack, "REPLACE_CELLS", {}))
    append = dict(getattr(attack, "APPEND_CELLS", {}))
    where = getattr(attack, "WHERE", None)
    if where == "extra-cell":
        anchor = nb.cells.index(by_id[getattr(attack, "AFTER", "imports")])
        nb.cells.insert(anchor + 1, new_code_cell(bake(attack.CODE)))
    elif where is not None:
        (replace if getattr(attack, "REPLACE", False) else append)[where] = attack.CODE
    for grade_id, code in replace.items():
        by_id[grade_id].source = bake(code)
    for grade_id, code in append.items():
        by_id[grade_id].source += "\n" + bake(code)
    data = nbformat.writes(nb).encode()
    if hasattr(attack, "mutate"):
        mutated = attack.mutate(json.loads(data))
        data = mutated if isinstance(mutated, bytes) else json.dumps(mutated).encode()
    folder = folder_of(course, student)
    name = getattr(attack, "NOTEBOOK", NOTEBOOK)
    if name is not None:
        (folder / name).write_bytes(data)
    for relative, text in getattr(attack, "FILES", {}).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(bake(text))
    for relative, target in getattr(attack, "LINKS", {}).items():
        os.symlink(bake(target), folder / relative)


def fingerprint(folder):
    """relative path -> sha256 of the content (or of the link text, for symbolic links)."""
    result = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            path = os.path.join(dirpath, name)
            data = ("link:" + os.readlink(path)).encode() if os.path.islink(path) else Path(path).read_bytes()
            result[os.path.relpath(path, folder)] = hashlib.sha256(data).hexdigest()
    return result


def protected(course):
    return {kind: fingerprint(course / kind) for kind in ("source", "release", "submitted")}


def gradebook_rows(course):
    """student -> {grade id: (auto score, max score, cell type)}."""
    return grade_rows(sqlite_url(course), ASSIGNMENT)


def source_points():
    nb = nbformat.read(KIT / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    return {cell.metadata.nbgrader["grade_id"]: (cell.metadata.nbgrader["points"], cell.cell_type)
            for cell in nb.cells if utils.is_grade(cell)}


def autograded(course, student):
    path = course / "autograded" / student / ASSIGNMENT / NOTEBOOK
    return nbformat.read(path, as_version=4) if path.exists() else None


def autograded_points(row):
    return sum(score or 0 for score, _, kind in row.values() if kind == "code")


@pytest.fixture(scope="module", params=list(GRADERS))
def batch(request, tmp_path_factory):
    program, args = GRADERS[request.param]
    course = new_course(tmp_path_factory.mktemp("attacks"))
    for student in HONEST:
        plant_honest(course, student)
    for path in ATTACK_FILES:
        plant_attack(course, student_of(path), load(path))
    before = protected(course)
    start = time.monotonic()
    run = courses.run(course, program, *args, check=False, timeout=WALL_LIMIT * 2)
    wall = time.monotonic() - start
    print(f"\nattack batch ({program}): {len(ATTACK_FILES)} attacks + {len(HONEST)} honest graded in {wall:.0f} s")
    (course / "autograde.log").write_text(run.stdout + run.stderr)
    return {"course": course, "run": run, "wall": wall, "before": before, "after": protected(course),
            "rows": gradebook_rows(course)}


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """The honest submissions graded alone, in a course of their own."""
    course = new_course(tmp_path_factory.mktemp("clean"))
    for student in HONEST:
        plant_honest(course, student)
    run = courses.nbgrader(course, "autograde", ASSIGNMENT, "--log-level=WARN", check=False, timeout=WALL_LIMIT)
    assert run.returncode == 0, run.stderr[-3000:]
    return gradebook_rows(course)


def test_attack_modules_are_well_formed():
    for path in ATTACK_FILES:
        attack = load(path)
        assert attack.__doc__ and "\n" not in attack.__doc__.strip(), f"{path.name}: one-line docstring"
        assert set(attack.EXPECT.values()) <= {"zero", "full", "any"}, path.name


def test_batch_finishes(batch):
    assert "z-honest" in batch["rows"], batch["run"].stderr[-3000:]
    assert batch["wall"] < WALL_LIMIT


def test_every_submission_is_scored(batch):
    students = sorted(p.name for p in (batch["course"] / "submitted").iterdir())
    assert len(students) == len(ATTACK_FILES) + len(HONEST)
    missing = [s for s in students if s not in batch["rows"]]
    assert not missing, f"no gradebook submission for {missing}"
    unscored = {s: [g for g, (score, _, kind) in row.items() if kind == "code" and score is None]
                for s, row in batch["rows"].items()}
    assert not {s: g for s, g in unscored.items() if g}, "cells left needing autograding"


def test_max_scores_are_the_sources(batch):
    points = source_points()
    assert sum(p for p, _ in points.values()) == TOTAL_POINTS
    assert sum(p for p, kind in points.values() if kind == "code") == AUTOGRADED_POINTS
    for student, row in batch["rows"].items():
        assert {g: (m, k) for g, (_, m, k) in row.items()} == points, student


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem, marks=[pytest.mark.xfail(strict=True, reason=KNOWN[p.stem])]
                                               if p.stem in KNOWN else []) for p in ATTACK_FILES])
def test_attack_gets_no_more_than_it_may(batch, path):
    attack, row = load(path), batch["rows"][student_of(path)]
    problems = []
    for grade_id, (score, maximum, kind) in row.items():
        if kind != "code":
            continue
        want = attack.EXPECT.get(grade_id, attack.EXPECT.get("*", "any"))
        if want == "zero" and score != 0:
            problems.append(f"{grade_id} scored {score} for wrong code")
        elif want == "full" and score != maximum:
            problems.append(f"{grade_id} lost points ({score}/{maximum}) for correct code")
        elif score is not None and not 0 <= score <= maximum:
            problems.append(f"{grade_id} scored {score} of {maximum}")
    if hasattr(attack, "REASON"):
        nb = autograded(batch["course"], student_of(path))
        reasons = nb.metadata["initgrader"]["reasons"] if nb is not None else []
        if not any(attack.REASON in reason for reason in reasons):
            problems.append(f"no reason mentioning {attack.REASON!r} in {reasons}")
    assert not problems, problems


def test_honest_students_get_every_point_as_if_graded_alone(batch, clean):
    for student in HONEST:
        assert autograded_points(batch["rows"][student]) == AUTOGRADED_POINTS, batch["rows"][student]
        assert batch["rows"][student] == clean[student]


def test_course_files_are_untouched(batch):
    before, after = batch["before"], batch["after"]
    assert after["source"] == before["source"]
    assert after["release"] == before["release"]
    assert after["submitted"] == before["submitted"]


def test_other_students_autograded_folders_hold_only_their_files(batch):
    course = batch["course"]
    for student in HONEST:
        files = sorted(p.name for p in (course / "autograded" / student / ASSIGNMENT).iterdir())
        assert files == ["lesson_tools.py", NOTEBOOK, "timestamp.txt"], files
        assert (course / "autograded" / student / ASSIGNMENT / "timestamp.txt").read_text().startswith("2026")


def test_infrastructure_failures_say_why(batch):
    silent = {}
    for path in ATTACK_FILES:
        nb = autograded(batch["course"], student_of(path))
        if nb is None:
            continue
        reasons = nb.metadata.get("initgrader", {}).get("reasons", [])
        for cell in nb.cells:
            state = cell.metadata.get("initgrader", {})
            if state.get("status") in INFRASTRUCTURE and not (reasons or state.get("message")):
                silent.setdefault(path.stem, []).append(cell.metadata.nbgrader["grade_id"])
    assert not silent, f"failed for infrastructure reasons without saying why: {silent}"


def test_invalid_json_is_explained_in_the_autograded_notebook(batch):
    nb = autograded(batch["course"], student_of(ATTACKS / "invalid_json.py"))
    assert nb is not None, "the invalid notebook has no autograded notebook"
    assert any("could not be read" in reason for reason in nb.metadata["initgrader"]["reasons"])
    statuses = {cell.metadata.initgrader["status"] for cell in nb.cells if "initgrader" in cell.metadata}
    assert statuses == {"unreadable"}


def test_renamed_notebook_gets_zeros_and_a_reason(batch):
    nb = autograded(batch["course"], RENAMED)
    assert any("no notebook named" in reason for reason in nb.metadata["initgrader"]["reasons"])
    with Gradebook(f"sqlite:///{batch['course'] / 'gradebook.db'}") as gb:
        submission = gb.find_submission(ASSIGNMENT, RENAMED)
        assert (submission.score, submission.max_score) == (0, TOTAL_POINTS)
        scores = {grade.name: grade.score for notebook in submission.notebooks for grade in notebook.grades}
    assert scores == {grade_id: 0 for grade_id in source_points()}


def test_symlinks_are_not_followed_into_autograded(batch):
    course = batch["course"]
    secret = (course / "source" / ASSIGNMENT / NOTEBOOK).read_bytes()
    copies = [str(path.relative_to(course)) for path in (course / "autograded").rglob("*")
              if path.is_file() and not path.is_symlink() and path.read_bytes() == secret]
    assert not copies, f"the instructor's source notebook was copied to {copies}"


def test_slow_submission_stays_within_its_time_limit(batch):
    nb = autograded(batch["course"], student_of(ATTACKS / "slow_under_call_timeout.py"))
    # every request is cut at the notebook's deadline; the slack covers stopping and the last cell's bookkeeping
    assert nb.metadata["initgrader"]["seconds"] < SUBMISSION_TIMEOUT + 15, nb.metadata["initgrader"]
