"""nbgrader export with the kit's config: nbgrader's grades.csv, as proper CSV that a spreadsheet shows as text."""
import csv
import datetime

import pytest
from nbgrader.api import Gradebook
from nbgrader.plugins import CsvExportPlugin

from initgrader.plugins.export import SafeCsvExportPlugin
from initgrader.reports.exports import write_exports
from initgrader.reports.collect import ClassResults, Submission
from support.course import ENV


@pytest.fixture(autouse=True)
def alembic_on_path(monkeypatch):
    # nbgrader runs `alembic` when it creates a gradebook
    monkeypatch.setenv("PATH", ENV["PATH"])


def gradebook_with(tmp_path, students):
    gb = Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}")
    gb.add_assignment("ps1", duedate=datetime.datetime(2030, 1, 1))
    for student, last_name in students:
        gb.add_student(student, last_name=last_name)
    return gb


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_same_rows_as_nbgraders_own_export(tmp_path):
    with gradebook_with(tmp_path, [("alice", "Smith"), ("bob", None)]) as gb:
        CsvExportPlugin(to=str(tmp_path / "theirs.csv")).export(gb)
        SafeCsvExportPlugin(to=str(tmp_path / "ours.csv")).export(gb)
    assert rows(tmp_path / "ours.csv") == rows(tmp_path / "theirs.csv")


def test_ids_with_commas_and_formulas_stay_text_in_their_column(tmp_path):
    with gradebook_with(tmp_path, [("=HYPERLINK(\"http://x\",\"y\")", "a,b"), ("@SUM(B1:C9)", "-1+2")]) as gb:
        SafeCsvExportPlugin(to=str(tmp_path / "grades.csv"), assignment=["ps1"]).export(gb)
    got = rows(tmp_path / "grades.csv")
    assert sorted((r["student_id"], r["last_name"], r["score"]) for r in got) == [
        ("'=HYPERLINK(\"http://x\",\"y\")", "a,b", "0.0"), ("'@SUM(B1:C9)", "'-1+2", "0.0")]


def test_the_lms_csv_keeps_ids_as_text(tmp_path):
    results = ClassResults("ps1", 10.0, [], [Submission("bob", 7.0, 10.0, False)], ["=1+1", "bob"])
    write_exports(results, tmp_path)
    assert [r["student_id"] for r in rows(tmp_path / "lms.csv")] == ["'=1+1", "bob"]
