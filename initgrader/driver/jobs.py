"""What a grading job carries, and the worker side that runs it.

Everything a job needs travels as bytes, so a worker needs neither the
course's filesystem nor its database: only the same Python packages.
"""
import dataclasses
import logging
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import tempfile
import threading
import time

import cloudpickle

AUTOGRADE_FIELDS = {
    "submission": ("timestamp",),
    "notebook": ("late_submission_penalty",),
    "grade": ("auto_score", "needs_manual_grade"),
    "comment": ("auto_comment",),
}
"""The gradebook columns that ``nbgrader autograde`` writes; all others belong
to the instructor (manual scores, extensions, flags) and are never merged."""

# A Dask worker may run several tasks in threads of one process, but the
# converter changes the working directory and environment of the process.
_process_lock = threading.Lock()


@dataclasses.dataclass
class Course:
    """What every job of one run shares: sent once per worker."""
    assignment: str
    course_id: str
    config: bytes  # cloudpickled traitlets Config, as AutogradeApp loaded it
    files: dict  # path relative to the course root -> bytes (source/ files)
    gradebook: bytes  # SQLite snapshot of the course gradebook


@dataclasses.dataclass
class Job:
    """One student's submission."""
    student: str
    files: dict  # path relative to the course root -> bytes (submitted/ files)
    digest: str


@dataclasses.dataclass
class Result:
    """What a worker hands back; plain data only."""
    student: str
    digest: str
    ok: bool
    reason: str = ""
    files: dict = dataclasses.field(default_factory=dict)  # relative to the output dir -> (bytes, mode)
    rows: dict = dataclasses.field(default_factory=dict)
    score: float = 0.0  # after the late penalty
    max_score: float = 0.0
    seconds: float = 0.0


def preimport():
    """Import the heavy modules once per worker process, not once per job."""
    import nbconvert.exporters  # noqa: F401
    import nbclient  # noqa: F401
    import numpy  # noqa: F401
    import nbgrader.converters  # noqa: F401
    import nbgrader.preprocessors  # noqa: F401


_course = None
_workdir = None  # the temporary course of the job in progress


def init_pool_worker(course):
    """Initializer of local pool workers: the shared payload arrives once."""
    global _course
    _course = course
    # Ctrl-C is the coordinator's to handle: it terminates the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: _abandon())
    # Kernels and nbgrader chatter on stderr would garble the progress bar;
    # what matters reaches the coordinator as the reason of a failure.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()
    preimport()


def grade_local(job):
    """Grade in a local pool worker, with the course its initializer received."""
    return grade(_course, job)


def _exit_with(sentinel):
    # An orphaned worker (coordinator SIGKILLed) would otherwise wait forever
    # on its task queue.
    multiprocessing.connection.wait([sentinel])
    _abandon()


def _abandon():
    """Stop a pool worker at once; its kernel notices and exits by itself."""
    if _workdir:
        shutil.rmtree(_workdir, ignore_errors=True)
    os._exit(1)


class _Errors(logging.Handler):
    """Keeps the converter's error messages as the reason of a failure."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def grade(course, job):
    """Autograde one submission in a private temporary course; return a Result."""
    global _workdir
    with _process_lock, tempfile.TemporaryDirectory(prefix="initgrader-grade-") as root:
        _workdir = root
        try:
            started = time.perf_counter()
            result = _grade_in(root, course, job)
            result.seconds = time.perf_counter() - started
            return result
        finally:
            _workdir = None


def _grade_in(root, course, job):
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    for files in (course.files, job.files):
        _write_tree(root, files)
    db_path = os.path.join(root, "gradebook.db")
    with open(db_path, "wb") as f:
        f.write(course.gradebook)

    config = cloudpickle.loads(course.config)
    coursedir = CourseDirectory(config=config, root=root)
    coursedir.db_url = "sqlite:///" + db_path
    coursedir.assignment_id = course.assignment
    coursedir.student_id = job.student
    coursedir.notebook_id = "*"

    log = logging.getLogger("initgrader.driver.worker")
    log.propagate = False
    errors = _Errors()
    log.handlers = [errors]
    converter = Autograde(coursedir=coursedir, config=config, log=log)
    result = Result(job.student, job.digest, ok=True)
    try:
        converter.start()
    except Exception as error:
        result.ok = False
        result.reason = _reason(errors.messages, error)
    result.rows = read_rows(coursedir.db_url, course.course_id, course.assignment, job.student)
    out = coursedir.format_path(coursedir.autograded_directory, job.student, course.assignment)
    if result.ok:
        result.files = _read_tree(out)
        result.score, result.max_score = result.rows.get("score", 0.0), result.rows.get("max_score", 0.0)
    return result


def _reason(messages, error):
    # The converter logs the traceback and raises a generic NbGraderException;
    # the last line of the first traceback says what actually went wrong.
    for message in messages:
        if message.startswith("Traceback"):
            return message.strip().splitlines()[-1]
    return messages[0] if messages else f"{type(error).__name__}: {error}"


def read_rows(db_url, course_id, assignment, student):
    """The autograde-owned gradebook values of one submission, as plain data."""
    from nbgrader import api

    with api.Gradebook(db_url, course_id) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except api.MissingEntry:
            return {}
        rows = {
            "submission": _fields(submission, "submission"),
            "notebooks": {},
            "score": submission.score - submission.late_submission_penalty,
            "max_score": submission.max_score,
            "courses": [row.id for row in gb.db.query(api.Course)],
        }
        for notebook in submission.notebooks:
            rows["notebooks"][notebook.name] = {
                "notebook": _fields(notebook, "notebook"),
                "grades": {g.name: _fields(g, "grade") for g in notebook.grades},
                "comments": {c.name: _fields(c, "comment") for c in notebook.comments},
            }
        return rows


def _fields(row, kind):
    return {name: getattr(row, name) for name in AUTOGRADE_FIELDS[kind]}


def _write_tree(root, files):
    """Write a tree from ``course.read_tree``: bytes become files, text becomes a symbolic link."""
    for relpath, data in files.items():
        path = os.path.join(root, relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(data, str):
            os.symlink(data, path)
            continue
        with open(path, "wb") as f:
            f.write(data)


def _read_tree(top):
    files = {}
    for dirpath, _, filenames in os.walk(top):
        for name in filenames:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, top)] = (f.read(), os.stat(path).st_mode & 0o777)
    return files
