"""Adversarial end to end: one batch of attack submissions between honest ones, graded by each path in.

The batch is graded three times: by plain `nbgrader autograde` and by the parallel `initgrader autograde` as
this process runs (root: the "namespaces" level), and by plain `nbgrader autograde` as a normal user under a
container's seccomp profile (tests/support/confine.py: the "landlock" level); every test below holds for all.

Every module in tests/attacks/ is one submission. It says how it is planted:

- ``ANSWERS``: "reference" (default) or "empty": what the solution cells hold before the attack;
- ``WHERE`` + ``CODE``: a solution cell's grade id (``CODE`` is appended, or replaces the answer when
  ``REPLACE``), or "extra-cell" (a new code cell after the graded cell ``AFTER``, default "imports");
- ``REPLACE_CELLS`` / ``APPEND_CELLS``: {grade id: code} for several solution cells;
- ``mutate(nb: dict) -> dict | bytes``: JSON-level changes to the planted notebook;
- ``FILES`` / ``LINKS``: extra files and symbolic links in the submission folder;
- ``HARD_LINKS`` {name: target}, ``FIFOS`` [name], ``DEVICES`` {name: (major, minor)} (character devices,
  planted as root only), ``SPARSE`` {name: size}, ``DEEP`` {name: depth}: other filesystem objects in it;
- ``MODES`` {name: mode}: permissions set once everything is planted (a normal user cannot rename out of, or
  enter, a folder that denies it; root can);
- ``ASSIGNMENT_LINK`` / ``STUDENT_LINK``: the assignment folder, or the student folder, is a symbolic link
  to this target instead;
- ``NOTEBOOK``: the file name of the notebook (None: no notebook written);
- ``STUDENT``: the student folder's name, if not derived from the module's.

``@COURSE@`` in any text is replaced by the temporary course folder, so attacks can aim at real paths.
``EXPECT`` maps test cells to "zero" (must score 0), "full" (must keep every point) or "any"; "*" is the
default. ``REASON`` is text the autograded notebook's reasons must contain; ``REFUSED`` a kind of refused
object its ``metadata.initgrader.refused`` must list; ``ID_REFUSED``, for a student id the grader refuses
outright, text its log must contain (that student never gets a gradebook row).
"""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell
from nbgrader import utils
from nbgrader.api import Gradebook

from support.classroom import plant, solution_answers
from support import confine
from support import course as courses
from support.gradebooks import grade_rows, sqlite_url
from support.trees import fingerprint, make_deep, objects, remove_tree

pytestmark = pytest.mark.slow

KIT, BIN, ENV = courses.KIT, courses.BIN, courses.ENV
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
PEAK = KIT / "tests" / "support" / "peak.py"
# The grading process's own peak RSS; reading every submission into memory at once exceeds it.
PEAK_RSS_LIMIT = 1024**3

# Attacks that currently succeed: reported, and kept visible as strict xfails.
KNOWN = {}


def load(path):
    spec = importlib.util.spec_from_file_location(f"attack_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ATTACK_FILES = sorted(path for path in ATTACKS.glob("*.py") if not path.name.startswith("_"))


def student_of(path):
    return getattr(load(path), "STUDENT", "b-" + path.stem.replace("_", "-"))


RENAMED = student_of(ATTACKS / "renamed_notebook.py")
# submissions the grader refuses by their student id alone: never a gradebook row
UNGRADED_IDS = {student_of(path) for path in ATTACK_FILES if hasattr(load(path), "ID_REFUSED")}


def nbgrader(course, *args, timeout=None, program="nbgrader", confined=None, env=None):
    """Run a grader command in *course*; with a PEAK_RSS_FILE in *env*, its own peak RSS is written there."""
    argv = [str(BIN / program), *args]
    if env is not None and "PEAK_RSS_FILE" in env:
        argv = [sys.executable, str(PEAK), *argv]
    if confined is not None:
        argv = confine.command(argv, **confined)
    return subprocess.run(argv, cwd=course, env=env or ENV, capture_output=True, text=True, timeout=timeout)


def owned_by(folder, user):
    """Give *folder* and everything in it to *user*, the confined grader (chown copes with the deepest trees)."""
    entry = confine.ensure_user(user)
    subprocess.run(["chown", "-R", "--no-dereference", f"{entry.pw_uid}:{entry.pw_gid}", str(folder)], check=True)


def owned_by_uid(paths, uid):
    """The names of *paths* that *uid* owns; one that goes while they are looked at is not."""
    owned = []
    for path in paths:
        try:
            if path.lstat().st_uid == uid:
                owned.append(str(path))
        except FileNotFoundError:
            pass
    return owned


def leftovers(user, grace=10.0):
    """Processes of *user* and scratch folders it owns in /tmp, once exiting ones had *grace* seconds to go."""
    uid = confine.ensure_user(user).pw_uid
    deadline = time.monotonic() + grace
    while True:
        processes = [Path(path).name for path in owned_by_uid(
            [entry for entry in Path("/proc").iterdir() if entry.name.isdigit()], uid)]
        folders = owned_by_uid(Path(tempfile.gettempdir()).glob("initgrader-*"), uid)
        if not processes and not folders or time.monotonic() > deadline:
            return processes, folders
        time.sleep(0.2)


GRADERS = {
    "nbgrader": ("nbgrader", ["autograde", ASSIGNMENT, "--log-level=INFO"]),
    "initgrader": ("initgrader", ["autograde", ASSIGNMENT, "--workers", "2"]),
    "nbgrader-landlock": ("nbgrader", ["autograde", ASSIGNMENT, "--log-level=INFO"]),
}
# Graders run confined, as a user owning the course: a container without CAP_SYS_ADMIN, or Ubuntu 24.04.
CONFINED = {"nbgrader-landlock": dict(user=confine.DEFAULT_USER, no_namespaces=True, public_python=True)}
LEVELS = {"nbgrader": "namespaces", "initgrader": "namespaces", "nbgrader-landlock": "landlock"}


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
        (folder / relative).unlink(missing_ok=True)
        os.symlink(bake(target), folder / relative)
    return plant_objects(folder, attack, bake)


def plant_objects(folder, attack, bake):
    """The filesystem objects other than files and links that an attack asks for; returns the deep trees."""
    deep = []
    for relative, target in getattr(attack, "HARD_LINKS", {}).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        os.link(bake(target), folder / relative)
    for relative in getattr(attack, "FIFOS", []):
        (folder / relative).unlink(missing_ok=True)
        os.mkfifo(folder / relative)
    for relative, (major, minor) in getattr(attack, "DEVICES", {}).items():
        if os.geteuid() == 0:  # mknod needs CAP_MKNOD; without it the attack is planted without its device
            os.mknod(folder / relative, 0o666 | 0o020000, os.makedev(major, minor))
    for relative, size in getattr(attack, "SPARSE", {}).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        with open(folder / relative, "wb") as handle:
            handle.truncate(size)
    for relative, depth in getattr(attack, "DEEP", {}).items():
        (folder / relative).mkdir()
        make_deep(folder / relative, depth - 1)
        deep.append(folder / relative)
    for relative, mode in getattr(attack, "MODES", {}).items():
        os.chmod(folder / relative, mode)
    if hasattr(attack, "ASSIGNMENT_LINK"):
        shutil.rmtree(folder)
        os.symlink(bake(attack.ASSIGNMENT_LINK), folder)
    if hasattr(attack, "STUDENT_LINK"):
        shutil.rmtree(folder.parent)
        os.symlink(bake(attack.STUDENT_LINK), folder.parent)
    return deep


def protected(course):
    """Course files by path; every object students submitted by identity, wherever the grader moved it."""
    return {"source": fingerprint(course / "source"), "release": fingerprint(course / "release"),
            "submitted": objects(course / "submitted", course / "quarantine", skip={"refused.json"})}


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


def grader_environment(course):
    """The grader's environment: its own temporary folder, to see what it leaves there, and its peak RSS file."""
    tmp = course / "tmp"
    tmp.mkdir()
    return dict(ENV, TMPDIR=str(tmp), PEAK_RSS_FILE=str(course / "peak-rss-kib")), tmp


@pytest.fixture(scope="session")
def remover():
    """Removes trees deeper than pytest's own cleanup can recurse, in the background while later batches and
    other tests run (rmdir is slow on a busy disk); waits for it at the end of the session."""
    threads = []

    def remove_all(paths):
        for path in paths:
            remove_tree(path)

    def remove(*paths):
        thread = threading.Thread(target=remove_all, args=(paths,))
        thread.start()
        threads.append(thread)

    yield remove
    for thread in threads:
        thread.join()


def grade_batch(request, tmp_path_factory, remover):
    program, args = GRADERS[request.param]
    confined = CONFINED.get(request.param)
    if confined is not None:
        reason = confine.why_not(**confined)
        if reason:
            pytest.skip(reason)
        # the confined user must own the course: pytest's own folders are private to root
        course = new_course(tempfile.mkdtemp(prefix="attacks-"))
        request.addfinalizer(lambda: remover(course))
    else:
        course = new_course(tmp_path_factory.mktemp("attacks"))
    for student in HONEST:
        plant_honest(course, student)
    deep = []
    for path in ATTACK_FILES:
        deep += plant_attack(course, student_of(path), load(path))
    env, tmp = grader_environment(course)
    if confined is not None:
        owned_by(course, confined["user"])
    before = protected(course)
    config = (course / "nbgrader_config.py").read_bytes()
    start = time.monotonic()
    run = nbgrader(course, *args, timeout=WALL_LIMIT * 2, program=program, confined=confined, env=env)
    wall = time.monotonic() - start
    peak = int((course / "peak-rss-kib").read_text()) * 1024
    print(f"\nattack batch ({request.param}): {len(ATTACK_FILES)} attacks + {len(HONEST)} honest graded in "
          f"{wall:.0f} s, peak RSS {peak / 1024**2:.0f} MiB")
    (course / "autograde.log").write_text(run.stdout + run.stderr)
    after = protected(course)
    # no test reads the deep trees (where refused, moved to quarantine/) once they are described
    remover(course / "quarantine", *deep)
    return {"course": course, "run": run, "wall": wall, "before": before, "after": after,
            "rows": gradebook_rows(course), "peak": peak, "left": sorted(os.listdir(tmp)),
            "grader": request.param, "config": config,
            "leftovers": leftovers(confined["user"]) if confined else None}


def batch_fixture(graders):
    """The module-scoped ``batch`` fixture for *graders*; tests/test_attacks_landlock.py takes the confined one."""
    return pytest.fixture(scope="module", params=graders, name="batch")(grade_batch)


batch = batch_fixture([name for name in GRADERS if name not in CONFINED])


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
    missing = [s for s in students if s not in batch["rows"] and s not in UNGRADED_IDS]
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
    attack = load(path)
    if hasattr(attack, "ID_REFUSED"):
        run = batch["run"]
        assert student_of(path) not in batch["rows"] and attack.ID_REFUSED in run.stdout + run.stderr
        return
    row = batch["rows"][student_of(path)]
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
    # nothing submitted is lost or changed; refused objects may have moved (to quarantine/), folders appear
    changed = {key: value for key, value in before["submitted"].items() if after["submitted"].get(key) != value}
    assert not changed
    added = {key: value for key, value in after["submitted"].items() if key not in before["submitted"]}
    assert set(added.values()) <= {("dir",)}


def test_no_scratch_directory_is_left(batch):
    # the uid allocator keeps its locks in the temporary folder of a grader that runs as root
    assert set(batch["left"]) <= {"initgrader-uids"}


def test_grader_memory_stays_bounded(batch):
    assert batch["peak"] < PEAK_RSS_LIMIT, f"peak RSS {batch['peak'] / 1024**2:.0f} MiB"


def test_refused_objects_are_recorded_as_data(batch):
    missing = {}
    for path in ATTACK_FILES:
        attack = load(path)
        if not hasattr(attack, "REFUSED"):
            continue
        nb = autograded(batch["course"], student_of(path))
        refused = nb.metadata["initgrader"].get("refused", []) if nb is not None else []
        if not any(item["kind"] == attack.REFUSED and item["reason"] for item in refused):
            missing[path.stem] = refused
    assert not missing


def test_other_students_autograded_folders_hold_only_their_files(batch):
    course = batch["course"]
    for student in HONEST:
        files = sorted(p.name for p in (course / "autograded" / student / ASSIGNMENT).iterdir())
        assert files == ["lesson_tools.py", NOTEBOOK, "self_check.py", "timestamp.txt"], files
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


def test_configuration_and_gradebook_survive(batch):
    course = batch["course"]
    assert (course / "nbgrader_config.py").read_bytes() == batch["config"]
    assert (course / "gradebook.db").stat().st_size > 0
    assert len(batch["rows"]) == len(ATTACK_FILES) + len(HONEST) - len(UNGRADED_IDS)


def test_no_process_or_scratch_folder_outlives_the_batch(batch):
    if batch["leftovers"] is None:
        pytest.skip("sandboxes under namespaces die with their pid namespace; this grader's uid is shared")
    assert batch["leftovers"] == ([], [])


def test_every_submission_records_its_isolation_level(batch):
    levels, seconds = set(), []
    for student in batch["rows"]:
        nb = autograded(batch["course"], student)
        state = nb.metadata.get("initgrader", {}) if nb is not None else {}
        if "isolation_level" in state:
            levels.add(state["isolation_level"])
            assert state["isolation"].startswith(state["isolation_level"])
            seconds.append(state["seconds"])
    assert levels == {LEVELS[batch["grader"]]}
    seconds.sort()
    print(f"\n{batch['grader']} ({levels.pop()}): seconds per submission, median {seconds[len(seconds) // 2]:.2f}, "
          f"slowest {seconds[-1]:.1f}, total {sum(seconds):.0f} over {len(seconds)}")
