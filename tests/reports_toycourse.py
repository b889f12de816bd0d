"""A tiny real nbgrader course for the report/export/feedback tests.

One notebook, three autograded checks and one manually graded answer; planted
submissions cover passing, failing and erroring students (one of whom puts
HTML into an exception message).
"""
import os
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from support.course import nbgrader

ASSIGNMENT = "toy_init"
NOTEBOOK = "init"
SOLUTION_MARKER = "secret_solution_marker_7f3a"
CHECKS = ["test_scale_positive", "test_scale_value", "test_scale_type"]
HOSTILE = "<script>alert('pwned')</script>"

SOLUTION_SOURCE = f"""def scale(n):
    ### BEGIN SOLUTION
    {SOLUTION_MARKER} = 1.0 / n ** 0.5
    return {SOLUTION_MARKER}
    ### END SOLUTION"""

# student -> body of scale(n); every body is wrong in its own way except alice's
STUDENT_BODIES = {
    "alice": "return 1.0 / n ** 0.5",
    "bob": "return 0.0",
    "carol": "return 1.0",
    "dave": f"raise ValueError({HOSTILE!r})",
}


def _meta(grade_id, *, grade, solution, points=0, locked=False):
    meta = {"grade": grade, "solution": solution, "locked": locked,
            "grade_id": grade_id, "schema_version": 3}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook():
    """The instructor's notebook, in nbgrader's source format."""
    cells = [
        new_markdown_cell("# Toy initialization"),
        new_code_cell(SOLUTION_SOURCE, metadata=_meta("answer_scale", grade=False, solution=True)),
        new_code_cell('assert scale(4) > 0, "scale(n) must be positive, got a non-positive value"',
                      metadata=_meta(CHECKS[0], grade=True, solution=False, points=2, locked=True)),
        new_code_cell('assert abs(scale(4) - 0.5) < 1e-9, "scale(4) should be 1/sqrt(4) = 0.5"',
                      metadata=_meta(CHECKS[1], grade=True, solution=False, points=3, locked=True)),
        new_code_cell('assert isinstance(scale(9), float), "scale(n) must return a float"',
                      metadata=_meta(CHECKS[2], grade=True, solution=False, points=1, locked=True)),
        new_markdown_cell("Why scale by 1/sqrt(n)?\n\n=== BEGIN MARK SCHEME ===\nvariance\n=== END MARK SCHEME ===",
                          metadata=_meta("explain_scale", grade=True, solution=True, points=2)),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _plant(course, student, body):
    released = course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    nb = nbformat.read(released, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer_scale":
            cell.source = f"def scale(n):\n    {body}"
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "explain_scale":
            cell.source = f"{student} says: it keeps the variance stable"
    target = course / "submitted" / student / ASSIGNMENT
    target.mkdir(parents=True)
    nbformat.write(nb, target / f"{NOTEBOOK}.ipynb")
    (target / "timestamp.txt").write_text("2026-01-01 12:00:00.000000 UTC")


def build_course(course: Path, students=STUDENT_BODIES, autograde=True):
    """Write, release and (optionally) autograde the toy course under ``course``."""
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'toy'\n")
    src = course / "source" / ASSIGNMENT
    src.mkdir(parents=True)
    nbformat.write(source_notebook(), src / f"{NOTEBOOK}.ipynb")
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    if not autograde:
        return course
    for student, body in students.items():
        _plant(course, student, body)
    nbgrader(course, "autograde", ASSIGNMENT, "--force")
    return course


def give_manual_grade(course: Path, student: str, score: float):
    """Grade the written answer like an instructor would in formgrader."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("explain_scale", NOTEBOOK, ASSIGNMENT, student)
        grade.manual_score = score
        gb.db.commit()


def inject_initgrader_metadata(course: Path, student: str, seconds: float, misconception: str,
                               isolation_level=None, reasons=()):
    """Add the kit executor's metadata to one autograded notebook (no isolation level: an older notebook)."""
    path = course / "autograded" / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.metadata["initgrader"] = {"isolation": "subprocess", "seconds": seconds,
                                 "status": "graded", "reasons": list(reasons)}
    if isolation_level is not None:
        nb.metadata["initgrader"]["isolation_level"] = isolation_level
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("grade") or meta.get("solution"):
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        cell.metadata["initgrader"] = {
            "status": "failed" if errors else "passed",
            "message": errors[0]["evalue"] if errors else "",
            "misconception": misconception if errors else None,
            "seconds": 0.01,
        }
    nbformat.write(nb, path)


if __name__ == "__main__":
    build_course(Path(os.environ.get("TOY_COURSE", "/tmp/toycourse")))
