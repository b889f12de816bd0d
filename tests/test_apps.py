"""The kit's commands load a course as nbgrader does, and work on any assignment.

End to end with the squares assignment (plain asserts, no initgrader checks)
under the kit's config: nbgrader's and the kit's commands on the same course,
with a SQLite gradebook, a PostgreSQL one, and renamed folders configured
from the course, from the Jupyter config directory and from the command line.
"""
import csv

import pytest

from initgrader.apps.autogradeapp import ParallelAutogradeApp
from initgrader.apps.initgraderapp import InitgraderApp
from initgrader.apps.reportapp import ReportApp
from support import gradebooks
from support.apps import run_app
from support.course import (ENV, SQUARES, copy_course, SQUARES_ANSWERS, SQUARES_POINTS, SQUARES_WRONG_MEAN, initgrader,
                            kit_config, nbgrader, new_course, submit)

COURSE_ID = "random_initialization"  # the kit's config names the course
CLASS = {"alice": SQUARES_ANSWERS, "bob": SQUARES_WRONG_MEAN, "carol": {}}
EXPECTED = {"alice": {"test_squares": 2.0, "test_mean": 3.0}, "bob": {"test_squares": 2.0, "test_mean": 0.0},
            "carol": {"test_squares": 0.0, "test_mean": 0.0}}


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def auto_scores(db_url):
    rows = gradebooks.grade_rows(db_url, SQUARES, COURSE_ID)
    return {student: {grade: score for grade, (score, _, kind) in row.items() if kind == "code"}
            for student, row in rows.items()}


def check_reports(course, out_root, db_url, env=None):
    """``initgrader report``, ``export`` and ``scores`` agree with the gradebook at ``db_url``."""
    totals = {s: sum(scores.values()) for s, scores in EXPECTED.items()}
    report = initgrader(course, "report", SQUARES, env=env).stdout
    assert "3 graded submissions of squares" in report, report
    scores_csv = {r["student"]: float(r["score"]) for r in read_csv(out_root / "reports" / SQUARES / "scores.csv")}
    assert scores_csv == totals
    checks = [r["check"] for r in read_csv(out_root / "reports" / SQUARES / "checks.csv")]
    assert checks == ["test_squares", "test_mean"]  # in the notebook's order, read from the source folder

    assert "(3 students)" in initgrader(course, "export", SQUARES, env=env).stdout
    lms = {r["student_id"]: (float(r["score"]), float(r["max_score"]))
           for r in read_csv(out_root / "exports" / SQUARES / "lms.csv")}
    assert lms == {s: (total, sum(SQUARES_POINTS.values())) for s, total in totals.items()}

    table = initgrader(course, "scores", SQUARES, env=env).stdout
    for student, total in totals.items():
        assert student in table and f"{total:g}" in table
    assert auto_scores(db_url) == EXPECTED


@pytest.fixture(scope="module")
def squares_class(tmp_path_factory):
    """The squares assignment released under the kit's config, with three students' submissions."""
    course = new_course(tmp_path_factory.mktemp("squares") / "course", SQUARES)
    for student, answers in CLASS.items():
        submit(course, student, SQUARES, answers)
    return course


@pytest.mark.slow
def test_any_assignment_goes_through_every_command(squares_class, tmp_path):
    sequential, parallel = (tmp_path / "sequential", tmp_path / "parallel")
    for copy in (sequential, parallel):
        copy_course(squares_class, copy)
    nbgrader(sequential, "autograde", SQUARES)
    initgrader(parallel, "autograde", SQUARES, "--workers", "2")
    for course in (sequential, parallel):
        assert auto_scores(gradebooks.sqlite_url(course)) == EXPECTED
    assert gradebooks.autograded_tree(parallel / "autograded") == gradebooks.autograded_tree(
        sequential / "autograded")

    nbgrader(parallel, "generate_feedback", SQUARES)
    bob = (parallel / "feedback" / "bob" / SQUARES / "squares.html").read_text()
    assert 'class="ig-summary"' in bob and "the mean of data.txt is 2" in bob
    assert "BEGIN SOLUTION" not in bob and "squares(0) == []" not in bob.split("ig-summary")[0]
    nbgrader(parallel, "export")
    assert {r["student_id"] for r in read_csv(parallel / "grades.csv")} == set(CLASS)
    check_reports(parallel, parallel, gradebooks.sqlite_url(parallel))


@pytest.mark.slow
def test_a_postgresql_gradebook_serves_every_command(postgres_url, tmp_path):
    course = new_course(tmp_path / "course", SQUARES, kit_config() + f"c.CourseDirectory.db_url = {postgres_url!r}\n")
    for student, answers in CLASS.items():
        submit(course, student, SQUARES, answers)
    initgrader(course, "autograde", SQUARES, "--workers", "2")
    check_reports(course, course, postgres_url)
    assert not (course / "gradebook.db").exists()


@pytest.mark.slow
def test_renamed_folders_from_every_config_source(tmp_path):
    """Folders and gradebook named in the course's config, in the Jupyter config directory
    (as ~/.jupyter would) and on the command line; every command finds them."""
    course = tmp_path / "course"
    db_url = f"sqlite:///{tmp_path / 'grades.sqlite'}"
    jupyter = tmp_path / "jupyter"
    jupyter.mkdir()
    (jupyter / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.submitted_directory = 'handins'\n"
        "c.CourseDirectory.autograded_directory = 'graded'\n"
        f"c.CourseDirectory.db_url = {db_url!r}\n")
    env = dict(ENV, JUPYTER_CONFIG_DIR=str(jupyter))
    new_course(course, SQUARES, kit_config() + "c.CourseDirectory.source_directory = 'instructor'\n"
               "c.CourseDirectory.release_directory = 'student_version'\n", source="instructor", generate=False)
    nbgrader(course, "generate_assignment", SQUARES, env=env)
    for student, answers in CLASS.items():
        submit(course, student, SQUARES, answers, submitted="handins", release="student_version")

    initgrader(course, "autograde", SQUARES, "--workers", "2", "--SandboxedExecute.cell_timeout=10", env=env)
    assert sorted(p.name for p in (course / "graded").iterdir()) == sorted(CLASS)
    assert not (course / "autograded").exists() and not (course / "gradebook.db").exists()
    check_reports(course, course, db_url, env=env)

    # the command line overrides both config files
    elsewhere = initgrader(course, "scores", SQUARES, f"--db=sqlite:///{tmp_path / 'none.db'}", env=env,
                           check=False)
    assert elsewhere.returncode == 1 and "Nothing has been graded yet" in elsewhere.stderr


def test_help_all_lists_the_kits_options(tmp_path, capsys):
    assert run_app(ParallelAutogradeApp, "--help-all", cwd=tmp_path) == 0
    text = capsys.readouterr().out
    for option in ("--ParallelAutogradeApp.workers", "--ParallelAutogradeApp.job_timeout",
                   "--SandboxedExecute.cell_timeout", "--CourseDirectory.db_url", "--log-level"):
        assert option in text, option
    assert run_app(ReportApp, "--help-all", cwd=tmp_path) == 0
    assert "--ReportApp.output_directory" in capsys.readouterr().out
    assert run_app(InitgraderApp, cwd=tmp_path) == 0
    listing = capsys.readouterr().out
    assert all(command in listing for command in ("autograde", "report", "export", "scores"))


def test_the_assignment_comes_from_the_command_line_or_the_config(tmp_path, capsys):
    assert run_app(ReportApp, cwd=tmp_path) == 1
    assert "An assignment id must be specified" in capsys.readouterr().err
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.assignment_id = 'ps9'\n")
    assert run_app(ReportApp, cwd=tmp_path) == 0
    assert "Nothing has been graded yet" in capsys.readouterr().out
    assert (tmp_path / "reports" / "ps9" / "index.html").exists()
    assert run_app(ReportApp, "ps9", cwd=tmp_path) == 1
    assert "cannot both be specified" in capsys.readouterr().err
