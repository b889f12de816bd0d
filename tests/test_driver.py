"""``initgrader autograde``: the same grades as ``nbgrader autograde``, and a driver that survives its workers.

The fast tests drive the pool with a stand-in worker (tests/support/fake_worker.py)
that dies, hangs or answers on demand; the slow ones build a course with the
squares assignment and run the real commands.
"""
import json
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import cloudpickle
import nbformat
import pytest
import sqlalchemy as sa

from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory

from initgrader import ingest
from initgrader.driver import pool, scratchdb, store, submissions
from initgrader.driver.coordinator import ingest_submission
from initgrader.driver.jobs import Course, Failed, Job, Result
from initgrader.sandbox.launch import server_env
from support import gradebooks
from support.course import (BIN, ENV, SQUARES, copy_course, SQUARES_ANSWERS, SQUARES_WRONG_MEAN, initgrader, kit_config, nbgrader,
                            new_course, submit)

FAKE_WORKER = [sys.executable, str(Path(__file__).parent / "support" / "fake_worker.py")]
COURSE_ID = "toycourse"
BARE = f"""\
c = get_config()
c.CourseDirectory.course_id = "{COURSE_ID}"
c.LateSubmissionPlugin.penalty_method = "zero"
"""
LATE = "2030-01-03 10:00:00.000000 UTC"
DUE = "2030-01-02 00:00:00"
CLASS = {
    "alice": (SQUARES_ANSWERS, None),
    "bob": (SQUARES_WRONG_MEAN, None),
    "carol": ({}, None),
    "dave": (SQUARES_ANSWERS, LATE),
    "mallory": (None, None),  # not a notebook: nbgrader fails this submission
}


# -- reading submissions -------------------------------------------------------

def test_digest_depends_on_names_and_contents():
    found = {"x.ipynb": b"1", "timestamp.txt": b"t"}
    assert submissions.digest(found) == submissions.digest(dict(reversed(found.items())))
    assert submissions.digest(found) != submissions.digest({"y.ipynb": b"1", "timestamp.txt": b"t"})
    assert submissions.digest(found) != submissions.digest({"x.ipynb": b"2", "timestamp.txt": b"t"})


def test_a_job_holds_regular_files_and_the_record_of_what_was_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the instructor's")
    folder = tmp_path / "submitted" / "alice" / "ps1"
    (folder / "sub").mkdir(parents=True)
    (folder / "answer.ipynb").write_text("{}")
    (folder / "sub" / "data.csv").write_text("1,2")
    os.symlink(secret, folder / "notes.txt")
    os.mkfifo(folder / "pipe")
    coursedir = CourseDirectory(root=str(tmp_path))
    job = ingest_submission(coursedir, "ps1", "alice", ingest.Ingest())
    record = os.path.join("quarantine", "alice", "ps1", ingest.quarantine.RECORD)
    assert sorted(job.files) == sorted([os.path.join("submitted", "alice", "ps1", "answer.ipynb"),
                                        os.path.join("submitted", "alice", "ps1", "sub", "data.csv"), record])
    assert b"the instructor's" not in b"".join(job.files.values())
    assert {r["path"] for r in json.loads(job.files[record])["refused"]} == {"notes.txt", "pipe"}
    # reading for a job changes nothing in the course: only nbgrader's own run moves refused objects
    assert (folder / "notes.txt").is_symlink() and (folder / "pipe").exists()
    assert not (tmp_path / "quarantine").exists()
    assert job.digest == ingest_submission(coursedir, "ps1", "alice", ingest.Ingest()).digest


def test_students_follow_nbgraders_selection(tmp_path):
    for student in ("alice", "bob", "carol"):
        (tmp_path / "submitted" / student / "ps1").mkdir(parents=True)
    (tmp_path / "submitted" / "dave" / "other").mkdir(parents=True)
    coursedir = CourseDirectory(root=str(tmp_path), student_id_exclude="carol")
    assert submissions.students(coursedir, "ps1") == ["alice", "bob"]
    coursedir.student_id = "b*"
    assert submissions.students(coursedir, "ps1") == ["bob"]


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


def test_scratch_gradebooks_reuse_statements_compiled_for_another_file(tmp_path):
    """Each submission's gradebook is a new file and a new engine; nbgrader's queries compile once."""
    hits = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if context is not None and context.compiled is not None:
            hits.append(context.cache_hit == context.dialect.CACHE_HIT)

    sa.event.listen(sa.engine.Engine, "after_cursor_execute", record)
    try:
        for name in ("one", "two"):
            with Gradebook(scratchdb.url(tmp_path / f"{name}.db"), "c") as gb:
                gb.add_student(f"student-{name}")
                del hits[:]
                assert gb.find_student(f"student-{name}").id == f"student-{name}"
    finally:
        sa.event.remove(sa.engine.Engine, "after_cursor_execute", record)
    assert hits == [True]
    # plain SQLite files: nbgrader and sqlite3 read them as any gradebook
    with Gradebook(f"sqlite:///{tmp_path / 'two.db'}", "c") as gb:
        assert [s.id for s in gb.students] == ["student-two"]
    assert sqlite3.connect(tmp_path / "one.db").execute("SELECT id FROM student").fetchall() == [("student-one",)]


@pytest.mark.parametrize("url", [scratchdb.url, lambda path: f"sqlite:///{path}"], ids=["scratch", "sqlite"])
def test_scratch_gradebooks_see_every_table_there_is(tmp_path, url):
    engine = sa.create_engine(url(tmp_path / "gradebook.db"))
    try:
        with engine.connect() as connection:
            def has(name):  # as create_all asks: no inspector's cache
                return engine.dialect.has_table(connection, name)

            connection.exec_driver_sql("CREATE TABLE first (x)")
            assert has("first") and not has("second")
            connection.exec_driver_sql("CREATE TABLE second (x)")
            connection.exec_driver_sql("CREATE TEMP TABLE third (x)")
            assert has("second") and has("third") and not has("fourth")
    finally:
        engine.dispose()


# -- the pool, with a stand-in worker -----------------------------------------

def fake_course():
    return Course(assignment="ps1", course_id="c", config=b"", files={}, gradebook=b"")


def run_pool(students, workers=2, job_timeout=0.0):
    """Grade ``students`` with stand-in workers; returns the outcomes and the most jobs ever in memory."""
    pulled, finished, most = [], [], 0

    def stream():
        nonlocal most
        for student in students:
            pulled.append(student)
            most = max(most, len(pulled) - len(finished))
            yield Job(student, {}, student)

    outcomes = {}
    with pool.LocalWorkers(workers, logging.getLogger("test.pool"), job_timeout, FAKE_WORKER) as engine:
        for job, outcome in engine.grade(fake_course(), stream()):
            finished.append(job.student)
            outcomes[job.student] = outcome
    assert sorted(pulled) == sorted(students)
    return outcomes, most


def test_pool_streams_with_one_submission_per_worker_in_memory():
    students = [f"slow-{i}" for i in range(6)] + [f"s{i}" for i in range(20)]
    outcomes, most = run_pool(students, workers=2)
    assert sorted(outcomes) == sorted(students)
    assert all(isinstance(outcome, Result) and outcome.ok for outcome in outcomes.values())
    assert most <= 2 + 1  # one per worker, and the one read ahead


def test_a_dead_worker_fails_only_its_job_after_one_retry(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("FAKE_WORKER_MARKERS", str(tmp_path))
    students = ["a", "die-once-b", "c", "die-d", "e", "f", "g"]
    with caplog.at_level(logging.WARNING, "test.pool"):
        outcomes, _ = run_pool(students, workers=2)
    assert {s for s, o in outcomes.items() if isinstance(o, Result)} == {"a", "die-once-b", "c", "e", "f", "g"}
    reason = outcomes["die-d"].reason
    assert isinstance(outcomes["die-d"], Failed)
    assert reason.count("killed by SIGKILL (dying on die-d)") == 2, reason
    assert "die-once-b: the worker grading it died (killed by SIGKILL (dying on die-once-b))" in caplog.text
    # the worker's stderr is in the log
    assert "dying on die-d" in caplog.text


def test_a_hung_worker_is_stopped_at_the_job_timeout():
    started = time.monotonic()
    outcomes, _ = run_pool(["a", "hang-b", "c"], workers=2, job_timeout=1.0)
    assert isinstance(outcomes["a"], Result) and isinstance(outcomes["c"], Result)
    assert outcomes["hang-b"].reason == "its worker died (no result after 1 s), and so did a fresh one " \
                                        "(no result after 1 s)"
    assert time.monotonic() - started < 30


def test_workers_that_cannot_start_stop_the_run():
    broken = [sys.executable, "-c", "import sys; sys.exit('no grading here')"]
    with pool.LocalWorkers(2, logging.getLogger("test.pool"), 0.0, broken) as engine:
        with pytest.raises(pool.WorkersUnavailable, match="no grading here"):
            list(engine.grade(fake_course(), iter([Job("a", {}, "a")])))


def test_nothing_to_grade_ends_at_once_and_stops_the_workers():
    with pool.LocalWorkers(2, logging.getLogger("test.pool"), 0.0, FAKE_WORKER) as engine:
        processes = [worker.process for worker in engine.workers]
        started = time.monotonic()
        assert list(engine.grade(fake_course(), iter([]))) == []
    assert time.monotonic() - started < 5
    assert all(process.poll() is not None for process in processes)


def allowed_cores(pid):
    with open(f"/proc/{pid}/status") as status:
        return next(line.split()[1] for line in status if line.startswith("Cpus_allowed_list:"))


def test_workers_are_pinned_only_when_they_are_as_many_as_the_usable_cores(monkeypatch):
    monkeypatch.setattr(pool, "usable_cores", lambda: [2, 3, 5])
    assert pool.pinned_cores(3) == [2, 3, 5]
    assert pool.pinned_cores(3, pin=False) is None
    assert pool.pinned_cores(2) is None and pool.pinned_cores(4) is None
    monkeypatch.setattr(pool, "usable_cores", lambda: [0])
    assert pool.pinned_cores(1) is None


def test_a_pinned_worker_runs_on_its_core():
    core = pool.usable_cores()[-1]
    with pool.LocalWorkers(1, logging.getLogger("test.pool"), cores=[core]) as engine:
        pid = engine.workers[0].process.pid
        deadline = time.monotonic() + 30
        while allowed_cores(pid) != str(core) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert allowed_cores(pid) == str(core)


def test_a_core_the_environment_refuses_leaves_the_worker_unpinned():
    before = allowed_cores(os.getpid())
    with pool.LocalWorkers(1, logging.getLogger("test.pool"), cores=[4095]) as engine:
        worker = engine.workers[0]
        time.sleep(2)
        assert worker.process.poll() is None, list(worker.stderr_tail)
        assert allowed_cores(worker.process.pid) == before


def test_a_replacement_worker_takes_the_core_of_the_one_it_replaces(tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_WORKER_MARKERS", str(tmp_path))
    seen = {}
    jobs = [Job(student, {}, student) for student in ("die-once-a", "b", "die-once-c", "d")]
    with pool.LocalWorkers(2, logging.getLogger("test.pool"), 0.0, FAKE_WORKER, cores=[5, 7]) as engine:
        for _ in engine.grade(fake_course(), iter(jobs)):
            live = {worker.number: worker.process.args[-1] for worker in engine.workers}
            # no two on one core, however many are left at the end
            assert len(set(live.values())) == len(live) and set(live.values()) <= {"5", "7"}
            seen.update(live)
    assert len(seen) >= 3 and set(seen.values()) == {"5", "7"}  # the replacements too


def test_sandboxes_run_on_the_cores_of_the_process_that_starts_them(tmp_path):
    core = pool.usable_cores()[-1]
    script = (f"import os; os.sched_setaffinity(0, {{{core}}})\n"
              "from initgrader.sandbox import Limits, StudentProcess\n"
              "with StudentProcess(os.getcwd(), Limits()) as student:\n"
              "    student.run_cell('import os; cores = sorted(os.sched_getaffinity(0))')\n"
              "    print(student.lookup(['cores'])['cores'][1])\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == [f"[{core}]"], done.stderr


# -- configuration reaches the workers -----------------------------------------

def test_command_line_config_reaches_the_workers(tmp_path, monkeypatch):
    from initgrader.apps.autogradeapp import ParallelAutogradeApp
    from initgrader.driver.course import worker_config
    from initgrader.plugins.check_inputs import CheckInputs
    from initgrader.plugins.execute import SandboxedExecute

    monkeypatch.delenv("INITGRADER_SECRET", raising=False)
    (tmp_path / "nbgrader_config.py").write_text(kit_config())
    monkeypatch.chdir(tmp_path)
    app = ParallelAutogradeApp()
    try:
        app.initialize(["ps1", "--SandboxedExecute.cell_timeout=5", "--workers=3"])
        config = cloudpickle.loads(worker_config(app.config, app.coursedir))
    finally:
        ParallelAutogradeApp.clear_instance()
    assert app.workers == 3 and app.resolve_assignment() == "ps1"
    executor = SandboxedExecute(config=config)
    assert (executor.cell_timeout, executor.call_timeout) == (5.0, 10.0)
    # workers grade in a copy of the course without its secret: they must draw the coordinator's hidden inputs
    assert CheckInputs(config=config).secret == (tmp_path / ".initgrader" / "secret").read_text().strip()


# -- end to end ----------------------------------------------------------------

def build_class(root, config=BARE, db_url=None):
    course = new_course(root, SQUARES, config + (f"c.CourseDirectory.db_url = {db_url!r}\n" if db_url else ""))
    with Gradebook(db_url or gradebooks.sqlite_url(course), COURSE_ID) as gb:
        gb.update_or_create_assignment(SQUARES, duedate=DUE)
    for student, (answers, late) in CLASS.items():
        submit(course, student, SQUARES, answers, **({"timestamp": late} if late else {}))
    return course


def state(course, db_url=None):
    return (gradebooks.dump(db_url or gradebooks.sqlite_url(course), SQUARES, COURSE_ID),
            gradebooks.autograded_tree(course / "autograded"))


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    return build_class(tmp_path_factory.mktemp("toy") / "course")


@pytest.fixture(scope="module")
def sequential(toy, tmp_path_factory):
    """The class graded by plain ``nbgrader autograde`` (kernels, every cell run)."""
    course = copy_course(toy, tmp_path_factory.mktemp("sequential") / "course")
    assert nbgrader(course, "autograde", SQUARES, check=False).returncode == 1  # mallory's file is not JSON
    return course


def mtimes(course, students):
    return {s: os.stat(course / "autograded" / s / SQUARES / "squares.ipynb").st_mtime_ns for s in students}


@pytest.mark.slow
def test_parallel_equals_sequential(toy, sequential, tmp_path):
    course = copy_course(toy, tmp_path / "course")
    assert initgrader(course, "autograde", SQUARES, "--workers", "2", check=False).returncode == 1
    assert state(course) == state(sequential)
    assert not (course / "autograded" / "mallory" / SQUARES).exists()
    rows = gradebooks.dump(gradebooks.sqlite_url(course), SQUARES, COURSE_ID)
    assert rows["dave"]["submission"][4] == 5.0  # late: the "zero" penalty takes all 5 points
    assert rows["alice"]["submission"][2:5] == (5.0, 6.0, 0.0)


@pytest.mark.slow
def test_rerun_skips_unchanged_regrades_changed_and_force(toy, tmp_path):
    course = copy_course(toy, tmp_path / "course")
    pick = ["--CourseDirectory.student_id_exclude=carol,dave,mallory", "--workers", "1"]
    initgrader(course, "autograde", SQUARES, *pick)
    first = mtimes(course, ["alice", "bob"])

    assert "0 graded, 0 failed, 2 skipped" in initgrader(course, "autograde", SQUARES, *pick).stdout
    assert mtimes(course, ["alice", "bob"]) == first

    submit(course, "bob", SQUARES, SQUARES_ANSWERS)
    initgrader(course, "autograde", SQUARES, *pick)
    second = mtimes(course, ["alice", "bob"])
    assert second["alice"] == first["alice"] and second["bob"] != first["bob"]
    assert gradebooks.dump(gradebooks.sqlite_url(course), SQUARES, COURSE_ID)["bob"]["submission"][2] == 5.0

    initgrader(course, "autograde", SQUARES, *pick, "--force")
    third = mtimes(course, ["alice", "bob"])
    assert all(third[s] != second[s] for s in third)
    rows = gradebooks.dump(gradebooks.sqlite_url(course), SQUARES, COURSE_ID)
    assert gradebooks.submissions_of(rows) == ["alice", "bob"]


@pytest.mark.slow
def test_resume_after_sigkill(toy, sequential, tmp_path):
    psutil = pytest.importorskip("psutil")
    course = copy_course(toy, tmp_path / "course")
    extra = [f"s{i:02d}" for i in range(4)]
    for student in extra:
        submit(course, student, SQUARES, SQUARES_ANSWERS)
    everyone = sorted(list(CLASS) + extra)
    coordinator = subprocess.Popen([str(BIN / "initgrader"), "autograde", SQUARES, "--workers", "1"], cwd=course,
                                   env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def records():
        top = course / "autograded"
        return sorted(s for s in (os.listdir(top) if top.is_dir() else [])
                      if os.path.exists(store.record_path(str(top / s / SQUARES))))

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

    before = mtimes(course, graded_before)
    assert initgrader(course, "autograde", SQUARES, "--workers", "2", check=False).returncode == 1  # mallory
    assert records() == sorted(s for s in everyone if s != "mallory")
    assert mtimes(course, graded_before) == before  # graded before the kill: skipped
    rows = gradebooks.dump(gradebooks.sqlite_url(course), SQUARES, COURSE_ID)
    assert gradebooks.submissions_of(rows) == everyone
    expected = gradebooks.dump(gradebooks.sqlite_url(sequential), SQUARES, COURSE_ID)
    expected["students"] = sorted(expected["students"] + [(s, None, None, None) for s in extra])
    assert {k: rows[k] for k in expected} == expected
    assert all(rows[s] == expected["alice"] for s in extra)
    assert not [n for n in os.listdir(course / "autograded" / "alice") if n.startswith(".initgrader-")]


KILLER = """
import os, signal
from initgrader.plugins.hooks import expect_every_notebook

def die_for_some(assignment, student, notebooks):
    # Kills the grading process itself: the worker, as an out-of-memory kill would.
    marker = os.path.join({markers!r}, student)
    if student.startswith("crash") or (student.startswith("flaky") and not os.path.exists(marker)):
        open(marker, "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    expect_every_notebook(assignment, student, notebooks)

c.Autograde.pre_convert_hook = die_for_some
"""


@pytest.mark.slow
def test_dead_workers_cost_only_their_own_submission(tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    course = new_course(tmp_path / "course", SQUARES, kit_config() + KILLER.format(markers=str(markers)))
    for student in ("alice", "crash", "flaky", "zoe"):
        submit(course, student, SQUARES, SQUARES_ANSWERS)
    done = initgrader(course, "autograde", SQUARES, "--workers", "2", check=False)
    assert done.returncode == 1
    assert "failed crash (its worker died (killed by SIGKILL" in done.stdout
    assert "and so did a fresh one (killed by SIGKILL" in done.stdout
    assert "flaky: the worker grading it died (killed by SIGKILL" in done.stderr
    rows = gradebooks.grade_rows(gradebooks.sqlite_url(course), SQUARES, "random_initialization")
    assert sorted(rows) == ["alice", "flaky", "zoe"]
    assert all(row["test_squares"][0] == 2 and row["test_mean"][0] == 3 for row in rows.values())
    assert not (course / "autograded" / "crash").exists()


@pytest.mark.slow
def test_links_are_not_followed_and_say_why(tmp_path):
    course = new_course(tmp_path / "course", SQUARES, kit_config())
    secret = course / "source" / SQUARES / "squares.ipynb"
    honest = submit(course, "alice", SQUARES, SQUARES_ANSWERS)
    os.symlink(secret, honest / "notes.json")
    linked = submit(course, "mallory", SQUARES, SQUARES_ANSWERS)
    (linked / "squares.ipynb").unlink()
    os.symlink(secret, linked / "squares.ipynb")
    initgrader(course, "autograde", SQUARES, "--workers", "1")
    rows = gradebooks.grade_rows(gradebooks.sqlite_url(course), SQUARES, "random_initialization")
    assert {grade: score for grade, (score, _, kind) in rows["alice"].items() if kind == "code"} == \
        {"test_squares": 2, "test_mean": 3}
    assert {score for score, _, _ in rows["mallory"].values()} == {0}
    reasons = {student: nbformat.read(course / "autograded" / student / SQUARES / "squares.ipynb",
                                      as_version=4).metadata.initgrader.reasons for student in ("alice", "mallory")}
    # the ingest boundary's own words, as in a sequential nbgrader run; nothing was moved, only left unread
    assert reasons["alice"] == ["Not read: notes.json is a symbolic link; it was left in place and not read."]
    assert reasons["mallory"][0].startswith("Not graded: squares.ipynb is a symbolic link")
    assert (honest / "notes.json").is_symlink() and (linked / "squares.ipynb").is_symlink()
    copies = [path for path in (course / "autograded").rglob("*") if path.is_file()
              and path.read_bytes() == secret.read_bytes()]
    assert not copies


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    """A scheduler and two single-threaded workers on loopback, stopped afterwards."""
    distributed = pytest.importorskip("distributed")
    address = f"tcp://127.0.0.1:{_free_port()}"
    dask = str(BIN / "dask")
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
    course = copy_course(toy, tmp_path / "course")
    assert initgrader(course, "autograde", SQUARES, "--scheduler", dask_cluster, check=False).returncode == 1
    assert state(course) == state(sequential)


@pytest.mark.slow
def test_postgresql_gradebook(sequential, postgres_url, tmp_path):
    course = build_class(tmp_path / "course", db_url=postgres_url)
    assert initgrader(course, "autograde", SQUARES, "--workers", "2", check=False).returncode == 1
    assert state(course, postgres_url) == state(sequential)


# -- what the grader sees ------------------------------------------------------

@pytest.mark.parametrize("terminal", [True, False])
def test_display_prints_ids_and_reasons_as_text(terminal):
    from rich.console import Console

    from initgrader.driver.progress import Display

    console = Console(record=True, force_terminal=terminal, width=200)
    student, reason = "[@a=(]x", "printed [bold]this[/ and \\[red]"
    with Display(2, console) as display:
        display.finished(student, "failed", reason=reason)
        display.finished("[link=http://x]y[/link]", "graded", 1.0, 2.0, 0.5)
    display.summary(1.0)
    text = console.export_text()
    assert student in text and reason in text and "[link=http://x]y[/link]" in text


def test_local_workers_run_one_blas_thread_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    env = pool.LocalWorkers(2, logging.getLogger("test"), 0).env
    assert env["OPENBLAS_NUM_THREADS"] == "1" and env["MKL_NUM_THREADS"] == "1"
    assert env["OMP_NUM_THREADS"] == "4"


def test_local_workers_keep_freed_memory_and_their_sandboxes_do_not(monkeypatch):
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "12345")
    env = pool.LocalWorkers(2, logging.getLogger("test"), 0).env
    assert env["MALLOC_MMAP_THRESHOLD_"] == str(256 * 1024**2)
    assert env["MALLOC_TRIM_THRESHOLD_"] == "12345"
    monkeypatch.setattr(os, "environ", env)
    assert not any(name.startswith("MALLOC_") for name in server_env())
