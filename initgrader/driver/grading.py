"""The worker's side of a job: nbgrader's own ``Autograde`` converter on a private temporary course."""
import glob
import logging
import os
import tempfile
import threading
import time
import warnings

import cloudpickle

from nbgrader.converters import Autograde

from . import scratchdb
from .gradebook import named_rows
from .jobs import AUTOGRADE_FIELDS, Result
from .stages import Stages

# A Dask worker may run several tasks in threads of one process, but the
# converter changes the working directory and environment of the process.
_process_lock = threading.Lock()
workdir = None  # the temporary course of the job in progress, removed if the worker is stopped


def preimport(course=None):
    """Import the heavy modules once per worker process, not in its first job: nbgrader's, and
    those of the course's own plugins, which loading its config imports."""
    import nbconvert.exporters  # noqa: F401
    import nbgrader.preprocessors  # noqa: F401

    if course is not None:
        cloudpickle.loads(course.config)


class TimedAutograde(Autograde):
    """nbgrader's ``Autograde``, with the time of each step recorded."""

    def __init__(self, stages, **kwargs):
        super().__init__(**kwargs)
        self.stages = stages

    def init_assignment(self, assignment_id, student_id):
        with self.stages("init"):
            super().init_assignment(assignment_id, student_id)

    def _init_preprocessors(self):
        super()._init_preprocessors()
        phase = "sanitize" if self._sanitizing else "autograde"
        self.exporter._preprocessors = [_Timed(pp, f"{phase}/{type(pp).__name__}", self.stages)
                                        for pp in self.exporter._preprocessors]

    def convert_single_notebook(self, notebook_filename):
        with self.stages("convert"):
            super().convert_single_notebook(notebook_filename)

    def write_single_notebook(self, output, resources):
        with self.stages("write"):
            super().write_single_notebook(output, resources)


class _Timed:
    """A registered preprocessor, called as nbconvert calls it, with its time recorded."""

    def __init__(self, preprocessor, stage, stages):
        self.preprocessor, self.stage, self.stages = preprocessor, stage, stages

    def __call__(self, nb, resources):
        with self.stages(self.stage):
            return self.preprocessor(nb, resources)

    def __str__(self):
        return str(self.preprocessor)


class _Errors(logging.Handler):
    """Keeps the converter's error messages as the reason of a failure."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def scratch_root():
    """Where temporary courses go: memory when there is room, since nbgrader commits to the
    gradebook a dozen times per submission and each commit to a disk waits for it."""
    try:
        free = os.statvfs(SHARED_MEMORY)
    except OSError:
        return None
    room = free.f_bavail * free.f_frsize > SCRATCH_ROOM and os.access(SHARED_MEMORY, os.W_OK | os.X_OK)
    return SHARED_MEMORY if room else None


SHARED_MEMORY = "/dev/shm"
SCRATCH_ROOM = 2 * 1024**3


def grade(course, job):
    """Autograde one submission in a private temporary course; return a Result."""
    global workdir
    with _process_lock, warnings.catch_warnings(), \
            tempfile.TemporaryDirectory(prefix="initgrader-grade-", dir=scratch_root()) as root:
        if course.warning_filters:
            warnings.filters[:] = cloudpickle.loads(course.warning_filters)
        workdir = root
        try:
            started = time.perf_counter()
            result = _grade_in(root, course, job)
            result.seconds = time.perf_counter() - started
            return result
        finally:
            workdir = None


def _grade_in(root, course, job):
    from nbgrader.coursedir import CourseDirectory

    stages = Stages()
    with stages("setup"):
        config = cloudpickle.loads(course.config)
        coursedir = CourseDirectory(config=config, root=root)
        db_path = os.path.join(root, "gradebook.db")
        coursedir.db_url = scratchdb.url(db_path)
        coursedir.assignment_id = course.assignment
        coursedir.student_id = glob.escape(job.student)  # nbgrader reads it as a glob
        coursedir.notebook_id = "*"
        _write_files(root, course.files)
        _write_files(root, job.files)
        with open(db_path, "wb") as f:
            f.write(course.gradebook)

    log = logging.getLogger("initgrader.worker")
    log.setLevel(course.log_level)
    errors = _Errors()
    log.addHandler(errors)
    converter = TimedAutograde(stages, coursedir=coursedir, config=config, log=log)
    result = Result(job.student, job.digest, ok=True)
    started = time.perf_counter()
    try:
        converter.start()
    except Exception as error:
        result.ok = False
        result.reason = _reason(errors.messages, error)
    finally:
        log.removeHandler(errors)
    stages.add("other", time.perf_counter() - started - stages.seconds.get("init", 0.0)
               - stages.seconds.get("convert", 0.0))
    with stages("collect"):
        result.rows = read_rows(coursedir.db_url, course.course_id, course.assignment, job.student)
        if result.ok:
            result.files = _read_tree(
                coursedir.format_path(coursedir.autograded_directory, job.student, course.assignment))
            result.score, result.max_score = result.rows.get("score", 0.0), result.rows.get("max_score", 0.0)
    convert = stages.seconds.pop("convert", 0.0)
    inside = sum(seconds for name, seconds in stages.seconds.items() if "/" in name or name == "write")
    stages.add("read", max(0.0, convert - inside))
    result.stages = stages.seconds
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
                "grades": {name: _fields(g, "grade") for g, name in named_rows(gb, api.Grade, notebook)},
                "comments": {name: _fields(c, "comment") for c, name in named_rows(gb, api.Comment, notebook)},
            }
        return rows


def _fields(row, kind):
    return {name: getattr(row, name) for name in AUTOGRADE_FIELDS[kind]}


def _write_files(top, files):
    """Recreate regular files under ``top``; a job never carries links."""
    for relpath, data in files.items():
        path = os.path.join(top, relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "xb") as f:
            f.write(data)


def _read_tree(top):
    files = {}
    for dirpath, _, filenames in os.walk(top):
        for name in filenames:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, top)] = (f.read(), os.stat(path).st_mode & 0o777)
    return files
