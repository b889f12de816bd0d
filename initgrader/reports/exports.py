"""``initgrader export``: the assignment's scores as a three-column CSV for an LMS grade import.

Totals are the gradebook's (autograded plus manual grades where given), so
they match ``nbgrader export``. Gradescope gets its results from the
autograder in ``gradescope/``, not from a file written here.
"""
import csv
from pathlib import Path

from initgrader.reports.collect import DEFAULT_ASSIGNMENT, collect

LMS_FIELDS = ["student_id", "score", "max_score"]


def configure(parser):
    parser.add_argument("assignment", nargs="?", default=DEFAULT_ASSIGNMENT,
                        help=f"assignment name (default: {DEFAULT_ASSIGNMENT})")
    parser.add_argument("--course-dir", default=".", help="nbgrader course directory (default: .)")
    parser.add_argument("--out", default="exports", help="output folder (default: exports)")


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
    with open(out / "lms.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=LMS_FIELDS)
        writer.writeheader()
        writer.writerows(lms_rows(results) if not results.empty else [])


def run(args):
    results = collect(args.course_dir, args.assignment)
    out = Path(args.out) / args.assignment
    write_exports(results, out)
    if results.empty:
        print(f"Nothing has been graded yet: {results.problem}. Wrote an empty {out / 'lms.csv'}")
    else:
        print(f"Wrote {out / 'lms.csv'} ({len(results.students)} students)")
    return 0
