"""Class report, Gradescope/LMS exports and student feedback.

The fast tests use hand-built results; the slow ones run real nbgrader on the
toy course in reports_toycourse.py.
"""
import csv
import html
import random
import shutil

import pytest

from initgrader.apps.exportapp import ResultsExportApp
from initgrader.apps.reportapp import ReportApp
from initgrader.reports import collect, command, exports
from initgrader.reports.collect import Check, CheckResult, ClassResults, Submission
import reports_toycourse as toy
from support.apps import load_course, run_app
from support.course import nbgrader

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FIGURES = ["scores.png", "checks.png", "misconceptions.png"]
CSVS = ["scores.csv", "checks.csv", "misconceptions.csv", "timings.csv"]
ISOLATION_LEVELS = ["namespaces", "namespaces", "landlock", None]
# A renamed notebook's file name is quoted in the reason the kit records.
HOSTILE_REASON = "Not graded: no notebook named nb.ipynb was submitted (found: <svg onload=alert(1)>.ipynb)."

def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def assert_png(path):
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, path
    assert len(data) > 1024, path


def synthetic_class(n, seed=0):
    rng = random.Random(seed)
    checks = [Check(f"test_check_{i}_" + "x" * (i * 6), "nb", 1.0 + i % 3) for i in range(14)]
    keys = [f"misconception-{i}" for i in range(40)] + ["$\\alpha$ <b>html</b>"]
    subs = []
    for i in range(n):
        sub = Submission(f"s{i:04d}", 0.0, sum(c.max_score for c in checks), rng.random() < 0.2,
                         seconds=rng.uniform(0.5, 9), status=rng.choice(["graded"] * 9 + ["timeout"]),
                         isolation_level=ISOLATION_LEVELS[i % len(ISOLATION_LEVELS)],
                         reasons=[HOSTILE_REASON] if i % 7 == 3 else [])
        for c in checks:
            ok = rng.random() < 0.7
            sub.checks[c.name] = CheckResult(c.name, c.max_score if ok else 0.0, c.max_score,
                                             "passed" if ok else "failed",
                                             "" if ok else "<img src=x onerror=alert(1)>",
                                             None if ok else rng.choice(keys))
        sub.score = sum(r.score for r in sub.checks.values())
        subs.append(sub)
    return ClassResults("demo", subs[0].max_score, checks, subs, [s.student for s in subs])


# ---------------------------------------------------------------- fast tests

def test_check_outcome_prefers_executor_metadata():
    cell = {"metadata": {"initgrader": {"status": "timeout", "message": "took too long",
                                        "misconception": "infinite-loop", "seconds": 5.0}},
            "outputs": [{"output_type": "error", "ename": "X", "evalue": "other"}]}
    result = collect.check_outcome(cell, "test_a", 0.0, 2.0)
    assert (result.status, result.message, result.misconception) == ("timeout", "took too long", "infinite-loop")


def test_check_outcome_falls_back_to_error_output():
    cell = {"metadata": {}, "outputs": [{"output_type": "error", "ename": "AssertionError",
                                         "evalue": "W1 is all zeros\nsecond line"}]}
    result = collect.check_outcome(cell, "test_a", 0.0, 2.0)
    assert (result.status, result.message, result.misconception) == \
        ("failed", "W1 is all zeros\nsecond line", "W1 is all zeros")
    bare = collect.check_outcome({"outputs": [{"output_type": "error", "ename": "AssertionError",
                                               "evalue": ""}]}, "t", 0.0, 1.0)
    assert bare.message == "AssertionError" and bare.misconception is None
    assert collect.check_outcome({"outputs": []}, "t", 1.0, 1.0).passed


@pytest.mark.parametrize("n", [1, 500])
def test_report_figures_for_any_class_size(tmp_path, n):
    results = synthetic_class(n)
    command.write_report(results, tmp_path)
    for name in FIGURES + ["timings.png"]:
        assert_png(tmp_path / name)
    page = (tmp_path / "index.html").read_text()
    assert "<img src=x" not in page and "<b>html</b>" not in page
    assert html.escape("<img src=x onerror=alert(1)>") in page
    for sub in results.submissions:
        assert f"<td>{sub.student}</td>" in page
    misconceptions = read_csv(tmp_path / "misconceptions.csv")
    counts = [int(r["students"]) for r in misconceptions]
    assert counts == sorted(counts, reverse=True)
    assert len(read_csv(tmp_path / "timings.csv")) == n


def test_empty_class_says_so(tmp_path, capsys):
    out = tmp_path / "reports"
    assert run_app(ReportApp, "random_initialization", "--out", out, cwd=tmp_path) == 0
    assert "Nothing has been graded yet" in capsys.readouterr().out
    page = (out / "random_initialization" / "index.html").read_text()
    assert "Nothing has been graded yet" in page
    assert not list((out / "random_initialization").glob("*.png"))
    assert not (tmp_path / "gradebook.db").exists()
    assert run_app(ResultsExportApp, "random_initialization", cwd=tmp_path) == 0
    assert "Nothing has been graded yet" in capsys.readouterr().out
    assert read_csv(tmp_path / "exports" / "random_initialization" / "lms.csv") == []


def test_report_shows_isolation_and_reasons(tmp_path):
    results = synthetic_class(14)
    command.write_report(results, tmp_path)
    page = (tmp_path / "index.html").read_text()
    assert "<svg" not in page and html.escape(HOSTILE_REASON) in page
    for level, count in [("namespaces", 8), ("landlock", 3), ("not recorded", 3)]:
        assert f"Isolation: {level}<b>{count}</b>" in page, level
    assert "<th>Isolation</th>" in page and "<td>not recorded</td>" in page
    rows = {r["student"]: r for r in read_csv(tmp_path / "scores.csv")}
    assert rows["s0002"]["isolation_level"] == "landlock" and rows["s0003"]["isolation_level"] == "not recorded"
    assert rows["s0003"]["reasons"] == HOSTILE_REASON and rows["s0004"]["reasons"] == ""


# ---------------------------------------------------------------- real nbgrader

@pytest.fixture(scope="module")
def course(tmp_path_factory):
    path = toy.build_course(tmp_path_factory.mktemp("toy") / "course")
    toy.give_manual_grade(path, "alice", 2.0)
    return path


def gradebook_totals(course):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student.id: (s.score, s.max_score) for s in gb.find_assignment(toy.ASSIGNMENT).submissions}


@pytest.mark.slow
def test_report_matches_gradebook(course, tmp_path, capsys):
    assert run_app(ReportApp, toy.ASSIGNMENT, "--out", tmp_path, cwd=course) == 0
    assert "4 graded submissions" in capsys.readouterr().out
    out = tmp_path / toy.ASSIGNMENT
    page = (out / "index.html").read_text()
    for student in toy.STUDENT_BODIES:
        assert f"<td>{student}</td>" in page
    for check in toy.CHECKS:
        assert check in page
    for name in FIGURES:
        assert_png(out / name)
        assert f'src="{name}"' in page
    for name in CSVS:
        assert f'href="{name}"' in page
    assert toy.HOSTILE not in page and html.escape(toy.HOSTILE) in page
    assert "No grading times recorded" in page and not (out / "timings.png").exists()

    totals = gradebook_totals(course)
    scores = {r["student"]: (float(r["score"]), float(r["max_score"])) for r in read_csv(out / "scores.csv")}
    assert scores == totals
    assert scores["alice"] == (8.0, 8.0)  # 6 autograded + 2 manual
    checks = read_csv(out / "checks.csv")
    assert [r["check"] for r in checks] == toy.CHECKS
    assert [int(r["passed"]) for r in checks] == [2, 1, 3]


@pytest.mark.slow
def test_report_uses_executor_metadata(course, tmp_path):
    copy = shutil.copytree(course, tmp_path / "course")
    for i, student in enumerate(toy.STUDENT_BODIES):
        toy.inject_initgrader_metadata(copy, student, seconds=1.0 + i, misconception="zero-weights",
                                       isolation_level=["namespaces", "none", None, "namespaces"][i],
                                       reasons=[HOSTILE_REASON] if student == "carol" else [])
    command.build(load_course(copy), toy.ASSIGNMENT, tmp_path / "out")
    page = (tmp_path / "out" / "index.html").read_text()
    assert 'Isolation: none<b class="bad">1</b>' in page and "Isolation: namespaces<b>2</b>" in page
    assert "<svg" not in page and f"<tr><td>carol</td><td><div class=\"msg\">{html.escape(HOSTILE_REASON)}" in page
    assert_png(tmp_path / "out" / "timings.png")
    timings = {r["student"]: float(r["seconds"]) for r in read_csv(tmp_path / "out" / "timings.csv")}
    assert timings == {"alice": 1.0, "bob": 2.0, "carol": 3.0, "dave": 4.0}
    (top,) = read_csv(tmp_path / "out" / "misconceptions.csv")
    # bob, carol and dave fail; each counts once however many checks they fail
    assert (top["misconception"], top["students"]) == ("zero-weights", "3")


@pytest.mark.slow
def test_exports(course, tmp_path):
    assert run_app(ResultsExportApp, toy.ASSIGNMENT, "--out", tmp_path, cwd=course) == 0
    out = tmp_path / toy.ASSIGNMENT
    totals = gradebook_totals(course)
    assert [p.name for p in out.iterdir()] == ["lms.csv"]
    rows = read_csv(out / "lms.csv")
    assert list(rows[0]) == exports.LMS_FIELDS
    assert {r["student_id"]: (float(r["score"]), float(r["max_score"])) for r in rows} == totals


@pytest.mark.slow
def test_nbgrader_export_still_works(course):
    nbgrader(course, "export")
    rows = read_csv(course / "grades.csv")
    assert {r["student_id"] for r in rows} == set(toy.STUDENT_BODIES)


def feedback_pages(course):
    return {s: (course / "feedback" / s / toy.ASSIGNMENT / f"{toy.NOTEBOOK}.html").read_text()
            for s in toy.STUDENT_BODIES}


def assert_no_solution(page):
    assert toy.SOLUTION_MARKER not in page
    assert "BEGIN SOLUTION" not in page


@pytest.mark.slow
def test_default_feedback_shows_scores_and_messages(course):
    nbgrader(course, "generate_feedback", toy.ASSIGNMENT, "--force")
    pages = feedback_pages(course)
    carol = pages["carol"]
    for score in ("Score: 2.0 / 2.0", "Score: 0.0 / 3.0", "Score: 1.0 / 1.0"):
        assert score in carol
    assert html.escape("scale(4) should be 1/sqrt(4) = 0.5") in carol
    assert toy.HOSTILE not in pages["dave"]
    for page in pages.values():
        assert_no_solution(page)


@pytest.mark.slow
def test_kit_feedback_shows_verdict_per_check(course, tmp_path):
    copy = shutil.copytree(course, tmp_path / "course")
    with open(copy / "nbgrader_config.py", "a") as f:
        f.write("from initgrader.reports.feedback import configure_feedback\nconfigure_feedback(c)\n")
    toy.inject_initgrader_metadata(copy, "bob", seconds=1.0, misconception="zero-weights",
                                   isolation_level="landlock", reasons=[HOSTILE_REASON])
    nbgrader(copy, "generate_feedback", toy.ASSIGNMENT, "--force")
    pages = feedback_pages(copy)
    bob = pages["bob"]
    assert "<b>Not fully graded</b>" in bob and "<svg" not in bob and html.escape(HOSTILE_REASON) in bob
    assert "isolation level: <code>landlock</code>" in bob and "isolation level: not recorded" in pages["alice"]
    assert 'class="ig-summary"' in bob
    assert bob.count('class="ig-box ig-failed"') == 2 and bob.count('class="ig-box ig-passed"') == 1
    assert "0 / 3 points" in bob
    assert '<div class="ig-msg">scale(n) must be positive, got a non-positive value</div>' in bob
    # nbconvert re-serialises HTML outputs, so compare with the quote left as is
    assert toy.HOSTILE not in pages["dave"] and "&lt;script&gt;alert(" in pages["dave"]
    for page in pages.values():
        assert_no_solution(page)
