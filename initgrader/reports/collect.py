"""Gather per-student, per-check results from the gradebook and autograded notebooks.

Scores always come from the gradebook (so manual grades count); statuses,
messages, misconceptions and timings come from the autograded notebooks,
using the kit executor's ``initgrader`` metadata when present and nbgrader's
error outputs otherwise.
"""
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_ASSIGNMENT = "random_initialization"


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


def collect(course_dir, assignment=DEFAULT_ASSIGNMENT) -> ClassResults:
    """Read everything the reports need for ``assignment`` in ``course_dir``."""
    course_dir = Path(course_dir).resolve()
    results = ClassResults(assignment)
    db = course_dir / "gradebook.db"
    if not db.is_file():
        # Opening a missing gradebook would create one; a report must not.
        results.problem = f"there is no gradebook at {db}"
        return results

    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{db}", course_id=course_id(course_dir)) as gb:
        results.students = sorted(s.id for s in gb.students)
        try:
            gb_assignment = gb.find_assignment(assignment)
        except MissingEntry:
            results.problem = f"assignment {assignment!r} is not in the gradebook yet"
            return results
        results.max_score = float(gb_assignment.max_score or 0)
        notebooks = sorted(gb_assignment.notebooks, key=lambda n: n.name)
        for nb in notebooks:
            results.checks.extend(_checks_in_order(course_dir, assignment, nb))
        for sub in sorted(gb_assignment.submissions, key=lambda s: s.student.id):
            results.submissions.append(_submission(course_dir, assignment, sub, results.checks))
    if not results.submissions:
        results.problem = f"no submission of {assignment!r} has been autograded yet"
    return results


def course_directory(course_dir):
    """The CourseDirectory nbgrader would use in ``course_dir``, configured by its nbgrader_config.py."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    try:
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    except Exception:  # no or broken config: nbgrader itself would fall back to its defaults
        config = None
    coursedir = CourseDirectory() if config is None else CourseDirectory(config=config)
    coursedir.root = os.path.abspath(course_dir)
    return coursedir


def course_id(course_dir):
    """The course id nbgrader would use here (Gradebook adds a course row for an unknown id)."""
    return course_directory(course_dir).course_id


def _checks_in_order(course_dir, assignment, gb_notebook):
    """Test cells of one notebook, in the order they appear in the notebook."""
    solutions = {c.name for c in gb_notebook.solution_cells}
    tests = {c.name: c for c in gb_notebook.grade_cells if c.name not in solutions}
    order = _cell_order(course_dir, assignment, gb_notebook.name)
    names = sorted(tests, key=lambda n: (order.get(n, len(order)), n))
    return [Check(n, gb_notebook.name, float(tests[n].max_score)) for n in names]


def _cell_order(course_dir, assignment, notebook):
    candidates = [course_dir / "source" / assignment / f"{notebook}.ipynb",
                  course_dir / "release" / assignment / f"{notebook}.ipynb",
                  *sorted(course_dir.glob(f"autograded/*/{assignment}/{notebook}.ipynb"))]
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


def _submission(course_dir, assignment, gb_submission, checks):
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
        nb = _read_notebook(course_dir / "autograded" / sub.student / assignment / f"{notebook}.ipynb")
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
