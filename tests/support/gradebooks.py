"""Reading a gradebook and an autograded tree back, to compare runs."""
import os
import re
from pathlib import Path

import nbformat
from nbgrader.api import Course, Gradebook

RECORD_SUFFIX = ".initgrader.json"  # the parallel driver's records, beside the autograded folders


def sqlite_url(course):
    return f"sqlite:///{Path(course) / 'gradebook.db'}"


def grade_rows(db_url, assignment, course_id="default_course"):
    """student -> {grade id: (auto score, max score, cell type)}."""
    rows = {}
    with Gradebook(db_url, course_id) as gb:
        for submission in gb.assignment_submissions(assignment):
            row = rows.setdefault(submission.student_id, {})
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    row[grade.name] = (grade.auto_score, grade.max_score, grade.cell_type)
    return rows


def dump(db_url, assignment, course_id):
    """Every row autograde touches, keyed by names rather than generated ids."""
    rows = {}
    with Gradebook(db_url, course_id) as gb:
        rows["courses"] = sorted(c.id for c in gb.db.query(Course))
        rows["students"] = sorted((s.id, s.first_name, s.last_name, s.email) for s in gb.students)
        for sub in gb.assignment_submissions(assignment):
            rows[sub.student.id] = {
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


def submissions_of(rows):
    return sorted(key for key in rows if key not in ("courses", "students"))


def autograded_tree(top):
    """The autograded tree as nbgrader writes it: content and mode of every file; run times, random
    ids and sandbox uids left out."""
    tree = {}
    for dirpath, _, filenames in os.walk(top):
        for name in filenames:
            if name.endswith(RECORD_SUFFIX):
                continue
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                data = f.read()
            if name.endswith(".ipynb"):
                data = nbformat.reads(data.decode(), as_version=4)
                for cell in data.cells:
                    cell.metadata.pop("execution", None)  # wall-clock times of the run
                    if "initgrader" in cell.metadata:
                        cell.metadata.initgrader.pop("seconds", None)
                    if "nbgrader" not in cell.metadata:
                        cell.pop("id", None)  # the kit's rebuild gives ungraded cells new random ids
                state = data.metadata.get("initgrader", {})
                state.pop("seconds", None)
                if "isolation" in state:  # concurrent sandboxes run as different uids
                    state["isolation"] = re.sub(r"uid \d+", "uid *", state["isolation"])
            tree[os.path.relpath(path, top)] = (data, oct(os.stat(path).st_mode & 0o777))
    return tree
