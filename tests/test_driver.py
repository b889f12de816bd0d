"""Tests of initgrader.driver against a toy nbgrader course built from scratch."""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import nbformat
import pytest

from nbgrader.api import Course, Gradebook
from nbgrader.coursedir import CourseDirectory

from initgrader.driver import command, course, store

PYTHON = sys.executable
BIN = os.path.dirname(PYTHON)
ASSIGNMENT = "toy"
# nbgrader runs `alembic` and kernels from PATH, as in an activated venv.
os.environ["PATH"] = BIN + os.pathsep + os.environ.get("PATH", "")

CONFIG = """\
c = get_config()
c.CourseDirectory.course_id = "toycourse"
c.LateSubmissionPlugin.penalty_method = "zero"
"""

ANSWERS = {
    "squares": "def squares(n):\n    return [i * i for i in range(n)]",
    "mean": "def mean(xs):\n    return sum(xs) / len(xs)",
    "explain": "Squares grow fast.",
}
WRONG = dict(ANSWERS, mean="def mean(xs):\n    return 0")
EMPTY = {}
ON_TIME = "2030-01-01 10:00:00.000000 UTC"
LATE = "2030-01-03 10:00:00.000000 UTC"
DUE = "2030-01-02 00:00:00"


def _cell(kind, source, grade_id, *, grade=False, solution=False, locked=False, points=None):
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = make(source)
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id,
            "schema_version": 3, "task": False}
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


def _source_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Toy assignment"),
        _cell("code", "def squares(n):\n    ### BEGIN SOLUTION\n    return [i * i for i in range(n)]\n"
                      "    ### END SOLUTION", "squares", solution=True),
        _cell("code", "assert squares(3) == [0, 1, 4]", "test_squares", grade=True, locked=True, points=2),
        _cell("code", "def mean(xs):\n    ### BEGIN SOLUTION\n    return sum(xs) / len(xs)\n"
                      "    ### END SOLUTION", "mean", solution=True),
        _cell("code", "assert mean([1, 2, 3]) == 2", "test_mean", grade=True, locked=True, points=3),
        _cell("markdown", "YOUR ANSWER HERE", "explain", grade=True, solution=True, points=1),
    ]
    return nb


def build_course(root, students):
    """A course with the toy assignment generated and ``students`` submitted.

    ``students`` maps an id to (answers by cell id, or None for an unreadable
    notebook; timestamp).
    """
    os.makedirs(os.path.join(root, "source", ASSIGNMENT))
    with open(os.path.join(root, "nbgrader_config.py"), "w") as f:
        f.write(CONFIG)
    nbformat.write(_source_notebook(), os.path.join(root, "source", ASSIGNMENT, "toy.ipynb"))
    with open(os.path.join(root, "source", ASSIGNMENT, "data.txt"), "w") as f:
        f.write("1 2 3\n")
    subprocess.run([os.path.join(BIN, "nbgrader"), "generate_assignment", ASSIGNMENT, "--log-level=ERROR"],
                   cwd=root, check=True)
    with Gradebook("sqlite:///" + os.path.join(root, "gradebook.db"), "toycourse") as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=DUE)
    for student, (answers, timestamp) in students.items():
        submit(root, student, answers, timestamp)


def submit(root, student, answers, timestamp=ON_TIME):
    folder = os.path.join(root, "submitted", student, ASSIGNMENT)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "toy.ipynb")
    if answers is None:
        with open(path, "w") as f:
            f.write("{ this is not a notebook")
    else:
        nb = nbformat.read(os.path.join(root, "release", ASSIGNMENT, "toy.ipynb"), as_version=4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                cell.source = answers[grade_id]
        nbformat.write(nb, path)
    with open(os.path.join(folder, "timestamp.txt"), "w") as f:
        f.write(timestamp)


CLASS = {
    "alice": (ANSWERS, ON_TIME),
    "bob": (WRONG, ON_TIME),
    "carol": (EMPTY, ON_TIME),
    "dave": (ANSWERS, LATE),
    "mallory": (None, ON_TIME),
}


def dump_gradebook(root, db_url=None):
    """Every row autograde touches, keyed by names rather than generated ids."""
    rows = {}
    with Gradebook(db_url or "sqlite:///" + os.path.join(root, "gradebook.db"), "toycourse") as gb:
        rows["courses"] = sorted(c.id for c in gb.db.query(Course))
        rows["students"] = sorted((s.id, s.first_name, s.last_name, s.email) for s in gb.students)
        for sub in gb.assignment_submissions(ASSIGNMENT):
            key = sub.student.id
            rows[key] = {
                "submission": (sub.timestamp, sub.extension, sub.score, sub.max_score,
                               sub.late_submission_penalty, sub.needs_manual_grade),
                "notebooks": {
                    nb.name: {
                        "notebook": (nb.late_submission_penalty, nb.flagged, nb.score, nb.code_score),
                        "grades": sorted((g.name, g.auto_score, g.manual_score, g.extra_credit,
                                          g.needs_manual_grade) for g in nb.grades),
                        "comments": sorted((c.name, c.auto_comment, c.manual_comment) for c in nb.comments),
                    }
                    for nb in sub.notebooks
                },
            }
    return rows


def dump_autograded(root):
    """The autograded tree as nbgrader writes it (records of the driver left out)."""
    tree = {}
    top = os.path.join(root, "autograded")
    for dirpath, _, filenames in os.walk(top):
        for name in filenames:
            if name.endswith(store.SUFFIX):
                continue
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                data = f.read()
            if name.endswith(".ipynb"):
                data = nbformat.reads(data.decode(), as_version=4)
                for cell in data.cells:
                    cell.metadata.pop("execution", None)  # wall-clock times of the run
            tree[os.path.relpath(path, top)] = (data, oct(os.stat(path).st_mode & 0o777))
    return tree


def grade(root, *options):
    """``initgrader autograde`` called in-process, as the CLI would."""
    parser = argparse.ArgumentParser()
    command.configure(parser)
    return command.run(parser.parse_args([ASSIGNMENT, "--course-dir", str(root), *options]))


def copy_course(base, dest):
    shutil.copytree(base, dest)
    return dest


def mtimes(root, students):
    return {s: os.stat(os.path.join(root, "autograded", s, ASSIGNMENT, "toy.ipynb")).st_mtime_ns
            for s in students}


@pytest.fixture(scope="session")
def toy(tmp_path_factory):
    root = tmp_path_factory.mktemp("toy") / "course"
    build_course(str(root), CLASS)
    return root


@pytest.fixture(scope="session")
def sequential(toy, tmp_path_factory):
    """The toy class graded by plain ``nbgrader autograde``."""
    root = copy_course(toy, tmp_path_factory.mktemp("sequential") / "course")
    done = subprocess.run([os.path.join(BIN, "nbgrader"), "autograde", ASSIGNMENT], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 1, done.stderr  # mallory's notebook is not JSON
    return root


# -- fast unit tests ---------------------------------------------------------

def test_digest_depends_on_names_and_contents():
    files = {"a/x.ipynb": b"1", "a/timestamp.txt": b"t"}
    assert course.digest(files) == course.digest(dict(reversed(files.items())))
    assert course.digest(files) != course.digest({"a/y.ipynb": b"1", "a/timestamp.txt": b"t"})
    assert course.digest(files) != course.digest({"a/x.ipynb": b"2", "a/timestamp.txt": b"t"})


def test_store_replaces_atomically_and_records(tmp_path):
    out = tmp_path / "autograded" / "alice" / "ps1"
    store.replace(str(out), {"nb.ipynb": (b"old", 0o444), "sub/data.txt": (b"d", 0o444)})
    assert store.current(str(out), "h1") is None
    store.remember(str(out), "h1", score=1.0, max_score=2.0)
    assert store.current(str(out), "h1")["score"] == 1.0
    assert store.current(str(out), "h2") is None
    store.replace(str(out), {"nb.ipynb": (b"new", 0o444)})
    assert sorted(os.listdir(out)) == ["nb.ipynb"]
    assert (out / "nb.ipynb").read_bytes() == b"new"
    assert oct((out / "nb.ipynb").stat().st_mode & 0o777) == "0o444"
    assert sorted(os.listdir(out.parent)) == [".ps1.initgrader.json", "ps1"]
    store.remove(str(out))
    assert os.listdir(out.parent) == []


def test_sweep_removes_staging_leftovers(tmp_path):
    (tmp_path / ".initgrader-abc" / "x").mkdir(parents=True)
    (tmp_path / "ps1").mkdir()
    store.sweep(str(tmp_path))
    assert os.listdir(tmp_path) == ["ps1"]


def test_submissions_honour_exclude_and_patterns(tmp_path):
    for student in ("alice", "bob", "carol"):
        (tmp_path / "submitted" / student / ASSIGNMENT).mkdir(parents=True)
    (tmp_path / "submitted" / "dave" / "other").mkdir(parents=True)
    coursedir = CourseDirectory(root=str(tmp_path), student_id_exclude="carol")
    assert course.submissions(coursedir, ASSIGNMENT) == ["alice", "bob"]
    assert course.submissions(coursedir, ASSIGNMENT, ["b*"]) == ["bob"]


# -- end to end ----------------------------------------------------------------

@pytest.mark.slow
def test_parallel_equals_sequential(toy, sequential, tmp_path):
    root = copy_course(toy, tmp_path / "course")
    assert grade(root, "--workers", "2") == 1  # mallory fails, the others are graded
    assert dump_gradebook(root) == dump_gradebook(sequential)
    assert dump_autograded(root) == dump_autograded(sequential)
    assert not os.path.exists(root / "autograded" / "mallory" / ASSIGNMENT)
    rows = dump_gradebook(root)
    assert rows["dave"]["submission"][4] == 5.0  # late: the "zero" penalty takes all 5 points
    assert rows["alice"]["submission"][2:5] == (5.0, 6.0, 0.0)


@pytest.mark.slow
def test_rerun_skips_unchanged_regrades_changed_and_force(toy, tmp_path):
    root = copy_course(toy, tmp_path / "course")
    pick = ["--student", "alice", "--student", "bob", "--workers", "2"]
    assert grade(root, *pick) == 0
    first = mtimes(root, ["alice", "bob"])

    assert grade(root, *pick) == 0
    assert mtimes(root, ["alice", "bob"]) == first

    submit(str(root), "bob", ANSWERS)
    assert grade(root, *pick) == 0
    second = mtimes(root, ["alice", "bob"])
    assert second["alice"] == first["alice"] and second["bob"] != first["bob"]
    assert dump_gradebook(root)["bob"]["submission"][2] == 5.0

    assert grade(root, *pick, "--force") == 0
    third = mtimes(root, ["alice", "bob"])
    assert all(third[s] != second[s] for s in third)
    rows = dump_gradebook(root)
    assert sorted(k for k in rows if k not in ("courses", "students")) == ["alice", "bob"]


@pytest.mark.slow
def test_resume_after_sigkill(toy, sequential, tmp_path):
    psutil = pytest.importorskip("psutil")
    root = copy_course(toy, tmp_path / "course")
    extra = [f"s{i:02d}" for i in range(4)]
    for student in extra:
        submit(str(root), student, ANSWERS)
    everyone = sorted(list(CLASS) + extra)
    coordinator = subprocess.Popen(
        [PYTHON, "-c", "import sys; from initgrader.driver.command import main; sys.exit(main(sys.argv[1:]))",
         ASSIGNMENT, "--course-dir", str(root), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def records():
        top = root / "autograded"
        return sorted(s for s in (os.listdir(top) if top.is_dir() else [])
                      if os.path.exists(store.record_path(str(top / s / ASSIGNMENT))))

    deadline = time.monotonic() + 300
    while not records() and time.monotonic() < deadline:
        time.sleep(0.1)
    children = psutil.Process(coordinator.pid).children(recursive=True)
    coordinator.send_signal(signal.SIGKILL)
    coordinator.wait()
    graded_before = records()
    assert 1 <= len(graded_before) < len(everyone) - 1

    # Orphaned workers notice that the coordinator is gone and exit.
    gone, alive = psutil.wait_procs(children, timeout=30)
    assert not alive

    before = mtimes(root, graded_before)
    assert grade(root, "--workers", "2") == 1  # mallory
    assert records() == sorted(s for s in everyone if s != "mallory")
    assert mtimes(root, graded_before) == before  # graded before the kill: skipped
    rows = dump_gradebook(root)
    assert sorted(k for k in rows if k not in ("courses", "students")) == everyone
    expected = dump_gradebook(sequential)
    expected["students"] = sorted(expected["students"] + [(s, None, None, None) for s in extra])
    assert {k: rows[k] for k in expected} == expected
    assert all(rows[s] == expected["alice"] for s in extra)
    assert not [n for n in os.listdir(root / "autograded" / "alice") if n.startswith(".initgrader-")]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    """A scheduler and two single-threaded workers on loopback, stopped afterwards."""
    distributed = pytest.importorskip("distributed")
    address = f"tcp://127.0.0.1:{_free_port()}"
    dask = os.path.join(BIN, "dask")
    workdir = tmp_path / "workers"
    workdir.mkdir()
    processes = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                   "--no-dashboard"], cwd=workdir, stderr=subprocess.DEVNULL)]
    try:
        for _ in range(2):
            processes.append(subprocess.Popen(
                [dask, "worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"],
                cwd=workdir, stderr=subprocess.DEVNULL))
        with distributed.Client(address, timeout=120) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.mark.slow
def test_dask_scheduler_equals_sequential(toy, sequential, dask_cluster, tmp_path):
    root = copy_course(toy, tmp_path / "course")
    assert grade(root, "--scheduler", dask_cluster) == 1
    assert dump_gradebook(root) == dump_gradebook(sequential)
    assert dump_autograded(root) == dump_autograded(sequential)


@pytest.fixture
def postgres_url():
    """A throw-away PostgreSQL server on loopback, if one can be started here."""
    pytest.importorskip("psycopg2")
    if not (shutil.which("initdb") and shutil.which("pg_ctl")):
        pytest.skip("no PostgreSQL server binaries")
    # PostgreSQL refuses to run as root.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    # Outside pytest's tmp_path, whose private parents the postgres user cannot enter.
    top = tempfile.mkdtemp(prefix="initgrader-pg-")
    data = os.path.join(top, "data")
    if as_user:
        shutil.chown(top, "postgres")
    port = _free_port()
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if subprocess.run(as_user + ["initdb", "-D", data, "-A", "trust", "-U", "postgres"], **quiet).returncode:
            pytest.skip("initdb failed")
        options = f"-p {port} -h 127.0.0.1 -k {top}"
        if subprocess.run(as_user + ["pg_ctl", "-D", data, "-o", options, "-w", "start"], **quiet).returncode:
            pytest.skip("PostgreSQL did not start")
        import psycopg2
        connection = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
        connection.autocommit = True
        connection.cursor().execute("CREATE DATABASE gradebook")
        connection.close()
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/gradebook"
    finally:
        if os.path.exists(os.path.join(data, "postmaster.pid")):
            subprocess.run(as_user + ["pg_ctl", "-D", data, "-m", "immediate", "stop"], **quiet)
        shutil.rmtree(top, ignore_errors=True)


@pytest.mark.slow
def test_postgresql_gradebook(toy, sequential, postgres_url, tmp_path):
    root = copy_course(toy, tmp_path / "course")
    with open(root / "nbgrader_config.py", "a") as f:
        f.write(f"c.CourseDirectory.db_url = {postgres_url!r}\n")
    subprocess.run([os.path.join(BIN, "nbgrader"), "generate_assignment", ASSIGNMENT, "--force",
                    "--log-level=ERROR"], cwd=root, check=True)
    with Gradebook(postgres_url, "toycourse") as gb:
        gb.update_or_create_assignment(ASSIGNMENT, duedate=DUE)
    assert grade(root, "--workers", "2") == 1
    assert dump_gradebook(root, postgres_url) == dump_gradebook(sequential)
    assert dump_autograded(root) == dump_autograded(sequential)
