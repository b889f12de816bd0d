"""``initgrader export``: Gradescope-style results.json per student and an LMS CSV.

Totals are the gradebook's (autograded plus manual grades where given), so
they match ``nbgrader export``; the per-test entries are the autograded checks.
"""
import csv
import json
from pathlib import Path

LMS_FIELDS = ["student_id", "score", "max_score"]


def gradescope_results(submission, checks):
    """One student's results in Gradescope's autograder results.json format."""
    tests = []
    for check in checks:
        result = submission.checks[check.name]
        tests.append({"name": check.name, "score": result.score, "max_score": result.max_score,
                      "status": "passed" if result.passed else "failed",
                      "output": result.message, "visibility": "visible"})
    return {"score": submission.score, "max_score": submission.max_score, "tests": tests,
            "visibility": "visible", "stdout_visibility": "hidden"}


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
    for sub in results.submissions:
        folder = out / sub.student
        folder.mkdir(exist_ok=True)
        with open(folder / "results.json", "w", encoding="utf-8") as f:
            json.dump(gradescope_results(sub, results.checks), f, indent=2)
    with open(out / "lms.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=LMS_FIELDS)
        writer.writeheader()
        writer.writerows(lms_rows(results) if not results.empty else [])

