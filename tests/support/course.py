"""Temporary courses for the end-to-end tests, and the commands a grader runs in them.

Two assignments: the kit's own (``source/random_initialization``) and
``tests/assignments/squares``, a tiny notebook with plain nbgrader asserts
that shows the engine is not tied to one assignment.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

KIT = Path(__file__).resolve().parents[2]
KIT_ASSIGNMENT = "random_initialization"
SQUARES = "squares"
ASSIGNMENTS = {KIT_ASSIGNMENT: KIT / "source" / KIT_ASSIGNMENT, SQUARES: KIT / "tests" / "assignments" / SQUARES}
BIN = Path(sys.executable).parent
# nbgrader runs `alembic` when it creates a gradebook, and the kit's commands live here too.
ENV = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")

BARE_CONFIG = "c = get_config()\n"
ON_TIME = "2030-01-01 10:00:00.000000 UTC"


def run(course, program, *args, check=True, timeout=None, env=None):
    """``program`` (nbgrader, initgrader, ...) from the venv, run in ``course`` as a grader would."""
    done = subprocess.run([str(BIN / program), *map(str, args)], cwd=course, env=env or ENV,
                          capture_output=True, text=True, timeout=timeout)
    if check and done.returncode:
        raise AssertionError(f"{program} {' '.join(map(str, args))} exited with {done.returncode}:\n"
                             f"{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return done


def nbgrader(course, *args, **kwargs):
    return run(course, "nbgrader", *args, **kwargs)


def initgrader(course, *args, **kwargs):
    return run(course, "initgrader", *args, **kwargs)


def kit_config():
    return (KIT / "nbgrader_config.py").read_text()


def new_course(folder, assignment=KIT_ASSIGNMENT, config=None, source="source", generate=True):
    """A course in ``folder`` with ``assignment``'s source (in the ``source`` folder) and ``config``
    (default: the kit's), released with ``nbgrader generate_assignment``."""
    course = Path(folder)
    course.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ASSIGNMENTS[assignment], course / source / assignment)
    (course / "nbgrader_config.py").write_text(kit_config() if config is None else config)
    if generate:
        nbgrader(course, "generate_assignment", assignment, "--log-level=WARN")
    return course


def copy_course(base, dest):
    """A copy of a whole course, links and modes as they are."""
    shutil.copytree(base, dest, symlinks=True)
    return Path(dest)


def submit(course, student, assignment, answers, timestamp=ON_TIME, submitted="submitted", release="release"):
    """Plant a submission: the release notebook with ``answers`` ({grade id: cell text}) in its cells.

    ``answers=None`` plants a file that is not a notebook.
    """
    folder = Path(course) / submitted / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted((Path(course) / release / assignment).glob("*.ipynb")):
        if answers is None:
            (folder / path.name).write_text("{ this is not a notebook")
            continue
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                cell.source = answers[grade_id]
        nbformat.write(nb, folder / path.name)
    (folder / "timestamp.txt").write_text(timestamp)
    return folder


SQUARES_ANSWERS = {
    "squares": "def squares(n):\n    return [i * i for i in range(n)]",
    "mean": "def load():\n    with open('data.txt') as f:\n        return [float(x) for x in f.read().split()]\n\n\n"
            "def mean(xs):\n    return sum(xs) / len(xs)",
    "explain": "Squares grow fast.",
}
SQUARES_WRONG_MEAN = dict(SQUARES_ANSWERS, mean="def load():\n    return [1.0]\n\n\ndef mean(xs):\n    return 0")
SQUARES_POINTS = {"test_squares": 2.0, "test_mean": 3.0, "explain": 1.0}
