"""Gather per-student, per-check results from the gradebook and autograded notebooks.

Scores always come from the gradebook (so manual grades count); statuses,
messages, misconceptions and timings come from the autograded notebooks,
using the kit executor's ``initgrader`` metadata when present and nbgrader's
error outputs otherwise. The gradebook and the folders are the course's
``CourseDirectory``: its ``db_url`` and ``format_path``.
"""
import glob
import os
from dataclasses import dataclass, field


@dataclass
class Check:
    name: str
    notebook: str
    max_score: float


@dataclass
class CheckResult:
    name: str
    score: float
    max_score: float
    status: str
    message: str = ""
    misconception: str | None = None

    @property
    def passed(self):
        return self.status == "passed"


@dataclass
class Submission:
    student: str
    score: float
    max_score: float
    needs_manual_grade: bool
    checks: dict[str, CheckResult] = field(default_factory=dict)
    seconds: float | None = None
    status: str = "graded"
    isolation_level: str | None = None
    reasons: list[str] = field(default_factory=list)


@dataclass
class ClassResults:
    assignment: str
    max_score: float = 0.0
    checks: list[Check] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    students: list[str] = field(default_factory=list)
    problem: str = ""

    @property
    def empty(self):
        return not self.submissions


def collect(coursedir, assignment) -> ClassResults:
    """Read everything the reports need for ``assignment`` of the course ``coursedir``."""
    results = ClassResults(assignment)
    results.problem = missing_gradebook(coursedir.db_url) or ""
    if results.problem:
        return results

    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(coursedir.db_url, course_id=coursedir.course_id) as gb:
        results.students = sorted(s.id for s in gb.students)
        try:
            gb_assignment = gb.find_assignment(assignment)
        except MissingEntry:
            results.problem = f"assignment {assignment!r} is not in the gradebook yet"
            return results
        results.max_score = float(gb_assignment.max_score or 0)
        notebooks = sorted(gb_assignment.notebooks, key=lambda n: n.name)
        for nb in notebooks:
            results.checks.extend(_checks_in_order(coursedir, assignment, nb))
        for sub in sorted(gb_assignment.submissions, key=lambda s: s.student.id):
            results.submissions.append(_submission(coursedir, assignment, sub, results.checks))
    if not results.submissions:
        results.problem = f"no submission of {assignment!r} has been autograded yet"
    return results


def missing_gradebook(db_url):
    """Why there is no gradebook to read at ``db_url``, or None; never creates one, as opening a Gradebook would."""
    import sqlalchemy as sa

    url = sa.engine.make_url(db_url)
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and not (url.database and os.path.isfile(url.database)):
        return f"there is no gradebook at {url.database or shown}"
    engine = sa.create_engine(url)
    try:
        tables = sa.inspect(engine).get_table_names()
    except sa.exc.SQLAlchemyError as error:
        return f"the gradebook at {shown} cannot be opened ({type(error).__name__})"
    finally:
        engine.dispose()
    return None if "assignment" in tables else f"there is no gradebook at {shown}"


def _checks_in_order(coursedir, assignment, gb_notebook):
    """Test cells of one notebook, in the order they appear in the notebook."""
    solutions = {c.name for c in gb_notebook.solution_cells}
    tests = {c.name: c for c in gb_notebook.grade_cells if c.name not in solutions}
    order = _cell_order(coursedir, assignment, gb_notebook.name)
    names = sorted(tests, key=lambda n: (order.get(n, len(order)), n))
    return [Check(n, gb_notebook.name, float(tests[n].max_score)) for n in names]


def _cell_order(coursedir, assignment, notebook):
    name = f"{notebook}.ipynb"
    candidates = [os.path.join(coursedir.format_path(coursedir.source_directory, ".", assignment), name),
                  os.path.join(coursedir.format_path(coursedir.release_directory, ".", assignment), name),
                  *sorted(glob.glob(os.path.join(_autograded(coursedir, "*", assignment), name)))]
    for path in candidates:
        nb = _read_notebook(path)
        if nb is not None:
            ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells]
            return {gid: i for i, gid in enumerate(ids) if gid}
    return {}


def _read_notebook(path):
    import nbformat
    try:
        return nbformat.read(path, as_version=4)
    except Exception:  # a missing or mangled notebook just means "no extra detail"
        return None


def _autograded(coursedir, student, assignment):
    return coursedir.format_path(coursedir.autograded_directory, student, assignment)


def _submission(coursedir, assignment, gb_submission, checks):
    sub = Submission(
        student=gb_submission.student.id,
        score=float(gb_submission.score or 0),
        max_score=float(gb_submission.max_score or 0),
        needs_manual_grade=bool(gb_submission.needs_manual_grade),
    )
    scores = {}
    for gb_nb in gb_submission.notebooks:
        for grade in gb_nb.grades:
            scores[(gb_nb.name, grade.name)] = (float(grade.score or 0), float(grade.max_score or 0))

    seconds, statuses, cells = [], [], {}
    for notebook in sorted({c.notebook for c in checks}):
        nb = _read_notebook(os.path.join(_autograded(coursedir, sub.student, assignment), f"{notebook}.ipynb"))
        if nb is None:
            statuses.append("missing")
            continue
        meta = nb.metadata.get("initgrader", {})
        if isinstance(meta.get("seconds"), (int, float)):
            seconds.append(float(meta["seconds"]))
        statuses.append(meta.get("status", "graded"))
        level, reasons = grading_notes(nb)
        sub.isolation_level = sub.isolation_level or level
        sub.reasons.extend(reasons)
        for cell in nb.cells:
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid:
                cells[(notebook, gid)] = cell

    for check in checks:
        score, max_score = scores.get((check.notebook, check.name), (0.0, check.max_score))
        sub.checks[check.name] = _check_result(check.name, score, max_score, cells.get((check.notebook, check.name)))
    sub.seconds = sum(seconds) if seconds else None
    sub.status = next((s for s in statuses if s != "graded"), "graded")
    return sub


def grading_notes(nb):
    """The isolation level and the reasons a graded notebook records; older notebooks lack either."""
    meta = nb.metadata.get("initgrader")
    meta = meta if isinstance(meta, dict) else {}
    level, reasons = meta.get("isolation_level"), meta.get("reasons")
    return (level if isinstance(level, str) and level else None,
            [str(reason) for reason in reasons] if isinstance(reasons, list) else [])


def _check_result(name, score, max_score, cell):
    if cell is None:
        # No notebook cell to read, but the gradebook still knows whether points were lost.
        status = "passed" if score >= max_score else "failed"
        return CheckResult(name, score, max_score, status)
    return check_outcome(cell, name, score, max_score)


def check_outcome(cell, name, score, max_score):
    """Status, message and misconception of one autograded test cell."""
    meta = cell.get("metadata", {}).get("initgrader", {})
    error = next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)
    evalue = str(error.get("evalue", "")) if error else ""
    if "status" in meta:
        status = str(meta["status"])
    else:
        status = "failed" if error or score < max_score else "passed"
    # An assert without a message still deserves more than an empty string.
    message = str(meta.get("message") or evalue or (error or {}).get("ename", ""))
    if "misconception" in meta:
        misconception = meta["misconception"] or None
    else:
        misconception = evalue.strip().splitlines()[0] if evalue.strip() else None
    if status == "passed":
        message, misconception = "", None
    return CheckResult(name, score, max_score, status, message, misconception and str(misconception))
