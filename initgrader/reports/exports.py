"""``initgrader export``: the assignment's scores as a three-column CSV for an LMS grade import.

Totals are the gradebook's (autograded plus manual grades where given), so
they match ``nbgrader export``. Gradescope gets its results from the
autograder in ``gradescope/``, not from a file written here.
"""
from pathlib import Path

from .tables import write_csv

LMS_FIELDS = ["student_id", "score", "max_score"]


def lms_rows(results):
    """One row per gradebook student; no graded submission counts as 0, as in ``nbgrader export``."""
    graded = {s.student: s for s in results.submissions}
    return [{"student_id": student,
             "score": graded[student].score if student in graded else 0.0,
             "max_score": results.max_score}
            for student in results.students]


def write_exports(results, out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "lms.csv", LMS_FIELDS, lms_rows(results) if not results.empty else [])

