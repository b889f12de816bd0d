"""Grade one Gradescope submission with the kit's nbgrader pipeline and write results.json.

Gradescope runs ``run_autograder`` as root, once per submission, in a fresh
container. This builds a temporary nbgrader course from the assignment's
``source/`` shipped in the zip, places the submitted notebook as the one
student's submission, runs the standard ``nbgrader autograde`` with the kit's
``nbgrader_config.py`` (the sandbox and every other protection), and turns the
gradebook and the graded notebook's per-check metadata into Gradescope's
``results.json``. Every path comes from an environment variable whose default
is Gradescope's layout, so the same script runs on a simulated tree.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from initgrader.ingest.context import load_app
from initgrader.reports.collect import collect
from initgrader.reports.feedback import LABELS

# One submission per container: the temporary course has exactly one student.
STUDENT = "student"
SECRET = Path(".initgrader") / "secret"


def locations():
    """The source, submission and results folders, from the environment or Gradescope's defaults."""
    root = Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    return (Path(os.environ.get("AUTOGRADER_SOURCE", root / "source")),
            Path(os.environ.get("AUTOGRADER_SUBMISSION", root / "submission")),
            Path(os.environ.get("AUTOGRADER_RESULTS", root / "results")))


def shipped_assignment(source):
    """(assignment id, notebook name): the zip holds one assignment folder with one notebook."""
    (folder,) = [path for path in (source / "source").iterdir() if path.is_dir()]
    (notebook,) = sorted(path.name for path in folder.glob("*.ipynb"))
    return folder.name, notebook


def build_course(source, course, assignment):
    """A course holding the assignment's source folder, the kit's nbgrader configuration and the course secret.

    The secret is the one the zip was built with, so every run of this
    autograder, a regrade included, draws the same hidden inputs for a student.
    """
    shutil.copytree(source / "source" / assignment, course / "source" / assignment)
    shutil.copy(source / "nbgrader_config.py", course / "nbgrader_config.py")
    if (source / SECRET).is_file():
        (course / SECRET.parent).mkdir(mode=0o700)
        shutil.copy(source / SECRET, course / SECRET)
        os.chmod(course / SECRET, 0o600)


def place_submission(submission, course, assignment, notebook):
    """Copy the submission to ``submitted/<student>/<assignment>/``; return a note for the student, if any.

    Uploaded notebooks are often renamed by browsers ("… (1).ipynb"), so a
    single notebook under another name is graded as the expected one. Links
    stay links, so the kit's pipeline treats them as it does in any course.
    """
    target = course / "submitted" / STUDENT / assignment
    shutil.copytree(submission, target, symlinks=True)
    notebooks = sorted(path.name for path in target.glob("*.ipynb"))
    if notebook in notebooks or len(notebooks) != 1:
        return None
    renamed = target / notebooks[0]
    if renamed.is_symlink() or not renamed.is_file():
        return None
    renamed.rename(target / notebook)
    return f"Graded {notebooks[0]!r} as {notebook}."


def nbgrader(course, *args):
    """Run an nbgrader command in the course, its log shown in Gradescope's instructor-only stdout."""
    # the venv's console script, as a grader runs it: `python -m` would put the course folder on sys.path
    command = Path(sys.executable).with_name("nbgrader")
    proc = subprocess.run([str(command), *args], cwd=course, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    print(f"$ nbgrader {' '.join(args)}\n{proc.stdout}", flush=True)
    return proc.returncode


def written_answers(coursedir, assignment):
    """(grade id, points, score or None) of each answer graded by hand; nbgrader scores an untouched one 0."""
    from nbgrader.api import Gradebook

    answers = []
    with Gradebook(coursedir.db_url, course_id=coursedir.course_id) as gb:
        submission = gb.find_submission(assignment, STUDENT)
        for notebook in submission.notebooks:
            solutions = {cell.name for cell in notebook.notebook.solution_cells}
            for grade in sorted(notebook.grades, key=lambda g: g.name):
                if grade.name in solutions:
                    decided = None if grade.needs_manual_grade else float(grade.score)
                    answers.append((grade.name, float(grade.max_score), decided))
    return answers


def check_output(result):
    """What the student reads under a check: the verdict, the misconception it names, the message."""
    if result.passed:
        return "Passed."
    lines = [LABELS.get(result.status, result.status) + "."]
    if result.misconception:
        lines.append(f"Misconception: {result.misconception}")
    if result.message:
        lines.append(result.message)
    return "\n".join(lines)


def summary(score, max_score, answers, sub, notes):
    """The top-level text: the autograded total, the answers graded by hand, why anything was not graded."""
    lines = [f"Autograded checks: {score:g} / {max_score:g} points."]
    for name, points, decided in answers:
        if decided is None:
            lines.append(f"{name} ({points:g} points) is graded by hand by the course staff: its points are pending "
                         "and are added to this score when they publish the grades.")
        else:
            lines.append(f"{name} ({points:g} points) was left unanswered: {decided:g} points.")
    if sub.reasons:
        lines.append("Not fully graded:")
        lines.extend(f"- {reason}" for reason in sub.reasons)
    lines.extend(notes)
    lines.append(f"Your code ran in isolation level: {sub.isolation_level or 'not recorded'}.")
    return "\n".join(lines)


def results_json(results, answers, notes=()):
    """Gradescope's results.json for the one graded submission in ``results``.

    Every string is marked as text: by default Gradescope renders the
    top-level output as HTML, and these strings quote the student's work.
    """
    sub = results.submissions[0]
    tests = []
    for number, check in enumerate(results.checks, 1):
        result = sub.checks[check.name]
        tests.append({"number": str(number), "name": check.name, "name_format": "text",
                      "score": result.score, "max_score": result.max_score,
                      "status": "passed" if result.passed else "failed",
                      "output": check_output(result), "output_format": "text", "visibility": "visible"})
    score = sum(test["score"] for test in tests)
    max_score = sum(test["max_score"] for test in tests)
    data = {"score": score, "output": summary(score, max_score, answers, sub, list(notes)), "output_format": "text",
            "test_output_format": "text", "test_name_format": "text", "visibility": "visible",
            "stdout_visibility": "hidden", "tests": tests,
            "extra_data": {"isolation_level": sub.isolation_level, "reasons": sub.reasons,
                           "written_answers": [{"name": name, "max_score": points, "score": decided}
                                               for name, points, decided in answers]}}
    if sub.seconds is not None:
        data["execution_time"] = round(sub.seconds)
    return data


def write_json(path, data):
    """Write ``path`` whole or not at all."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".results-")
    with os.fdopen(handle, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
    os.replace(temporary, path)


def main():
    source, submission, results_dir = locations()
    results_dir.mkdir(parents=True, exist_ok=True)
    target = results_dir / "results.json"
    # Only this run may produce the result: a file already there is not ours.
    target.unlink(missing_ok=True)
    assignment, notebook = shipped_assignment(source)
    with tempfile.TemporaryDirectory(prefix="initgrader-gradescope-") as workdir:
        course = Path(workdir) / "course"
        build_course(source, course, assignment)
        if nbgrader(course, "generate_assignment", assignment, "--log-level=WARN"):
            print("Generating the assignment failed; no results.json was written.")
            return 1
        notes = [note for note in [place_submission(submission, course, assignment, notebook)] if note]
        failed = nbgrader(course, "autograde", assignment, "--log-level=WARN")
        coursedir = load_app(course).coursedir
        if failed or not Path(coursedir.format_path(coursedir.autograded_directory, STUDENT, assignment),
                              notebook).is_file():
            # No result beats a wrong zero: Gradescope shows the student that the autograder failed.
            print("The submission could not be graded; no results.json was written.")
            return 1
        data = results_json(collect(coursedir, assignment), written_answers(coursedir, assignment), notes)
    write_json(target, data)
    print(f"Wrote {target}: {data['score']:g} points.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
