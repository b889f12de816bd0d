"""Unit tests of the submission-ingest boundary on small trees and notebooks."""
import json
import os
import socket
import stat
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from initgrader import ingest
from initgrader.ingest import notebook, timestamp
from initgrader.ingest.quarantine import RECORD
from initgrader.ingest.submission import write_files
from nbgrader.coursedir import CourseDirectory
from support.trees import make_deep, remove_tree, renames_as_a_user

pytestmark = pytest.mark.timeout(60)
STAMP = "2026-11-20 12:00:00.000000 UTC"
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")


def folder_of(root, student="alice", assignment="ps1"):
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text(STAMP)
    (folder / "ps1.ipynb").write_text(nbformat.writes(new_notebook(cells=[new_code_cell("x = 1")])))
    return folder


def kinds(got):
    return {refusal.path: refusal.kind for refusal in got.refused}


def settings(**traits):
    return ingest.Ingest(**traits)


# -- reading a submission ------------------------------------------------------

def test_regular_files_are_read_with_their_content(tmp_path):
    folder = folder_of(tmp_path)
    (folder / "data").mkdir()
    (folder / "data" / "x.csv").write_bytes(b"1,2\n")
    got = ingest.read_submission(folder)
    assert sorted(got.files) == ["data/x.csv", "ps1.ipynb", "timestamp.txt"]
    assert got.files["data/x.csv"] == b"1,2\n"
    assert got.refused == [] and got.notebooks == ["ps1.ipynb"]
    assert got.digest == ingest.read_submission(folder).digest and not got.missing
    (folder / "data" / "x.csv").write_bytes(b"1,3\n")
    assert got.digest != ingest.read_submission(folder).digest
    assert ingest.read_submission(tmp_path / "submitted" / "nobody" / "ps1").missing


def test_links_are_refused_and_never_followed(tmp_path):
    secret = tmp_path / "source.ipynb"
    secret.write_text("SOLUTION")
    (tmp_path / "dir").mkdir()
    folder = folder_of(tmp_path)
    os.symlink(secret, folder / "notes.json")
    os.symlink(tmp_path / "dir", folder / "data")
    os.symlink("nowhere", folder / "dangling")
    got = ingest.read_submission(folder)
    assert kinds(got) == {"notes.json": "symlink", "data": "symlink", "dangling": "symlink"}
    assert not any(b"SOLUTION" in data for data in got.files.values())
    assert got.refused[-1].sentence() == "notes.json is a symbolic link; it was left in place and not read"


def test_hard_links_are_refused_under_every_name(tmp_path):
    secret = tmp_path / "source.ipynb"
    secret.write_text("SOLUTION")
    folder = folder_of(tmp_path)
    os.link(secret, folder / "notes.json")
    os.link(folder / "ps1.ipynb", folder / "copy.ipynb")
    got = ingest.read_submission(folder)
    assert kinds(got) == {"notes.json": "hardlink", "ps1.ipynb": "hardlink", "copy.ipynb": "hardlink"}
    assert "hard link" in got.refusal_of("ps1.ipynb").reason


def test_fifos_sockets_and_devices_are_refused_without_being_opened(tmp_path):
    folder = folder_of(tmp_path)
    (folder / "timestamp.txt").unlink()
    os.mkfifo(folder / "timestamp.txt")
    os.mkfifo(folder / "pipe.ipynb")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(folder / "sock"))
        if os.geteuid() == 0:
            os.mknod(folder / "zero", 0o600 | stat.S_IFCHR, os.makedev(1, 5))
        started = time.monotonic()
        got = ingest.read_submission(folder)
    assert time.monotonic() - started < 5
    expected = {"timestamp.txt": "fifo", "pipe.ipynb": "fifo", "sock": "socket"}
    if os.geteuid() == 0:
        expected["zero"] = "device"
    assert kinds(got) == expected
    assert got.notebooks == ["pipe.ipynb", "ps1.ipynb"]


def test_a_tree_deeper_than_the_recursion_limit_is_cut_at_the_depth_bound(tmp_path):
    folder = folder_of(tmp_path)
    (folder / "d").mkdir()
    make_deep(folder / "d", 5000)
    try:
        got = ingest.read_submission(folder)
        assert kinds(got) == {os.path.join(*["d"] * 9): "too-deep"}
        assert "nested more than 8 levels" in got.refused[0].reason
    finally:
        remove_tree(folder / "d")


def test_depth_count_and_size_bounds(tmp_path):
    folder = folder_of(tmp_path)
    (folder / "a" / "b" / "c").mkdir(parents=True)
    (folder / "a" / "b" / "ok.txt").write_text("ok")
    got = ingest.read_submission(folder, ingest.Limits(max_depth=2))
    assert kinds(got) == {"a/b/c": "too-deep"} and "a/b/ok.txt" in got.files

    for i in range(5):
        (folder / f"0{i}.txt").write_text("x")
    got = ingest.read_submission(folder, ingest.Limits(max_files=4))
    # timestamp.txt and the notebooks come first: the extra files are what the bound cuts
    assert {"timestamp.txt", "ps1.ipynb"} <= set(got.files)
    assert set(kinds(got).values()) == {"too-many"} and len(got.refused) == 4

    (folder / "big.bin").write_bytes(b"0" * 2000)
    got = ingest.read_submission(folder, ingest.Limits(max_bytes=1500))
    assert kinds(got)["big.bin"] == "too-large" and "ps1.ipynb" in got.files


def test_a_folder_with_far_more_entries_than_a_submission_may_hold_is_refused_whole(tmp_path):
    folder = folder_of(tmp_path)
    (folder / "many").mkdir()
    for i in range(45):
        (folder / "many" / str(i)).write_text("x")
    got = ingest.read_submission(folder, ingest.Limits(max_files=2))
    assert kinds(got) == {"many": "too-many"}
    got = ingest.read_submission(folder / "many", ingest.Limits(max_files=2), trusted=folder)
    assert got.whole is not None and got.files == {}


@pytest.mark.parametrize("plant, label", [
    (lambda folder, tmp: os.symlink(tmp / "elsewhere", folder), "assignment folder"),
    (lambda folder, tmp: os.symlink(tmp / "elsewhere", folder.parent), "student folder"),
    (lambda folder, tmp: os.mkfifo(folder), "assignment folder"),
    (lambda folder, tmp: folder.write_text("a file"), "assignment folder"),
])
def test_the_student_and_assignment_folders_themselves_must_be_real_folders(tmp_path, plant, label):
    other = folder_of(tmp_path / "elsewhere_root")
    os.symlink(other, tmp_path / "elsewhere")
    folder = tmp_path / "submitted" / "bob" / "ps1"
    folder.parent.mkdir(parents=True)
    if label == "student folder":
        folder.parent.rmdir()
    plant(folder, tmp_path)
    got = ingest.read_submission(folder)
    assert got.files == {} and got.whole is not None and label in got.whole.reason
    assert got.refusal_of("ps1.ipynb") is got.whole


# -- timestamp.txt ---------------------------------------------------------------

@pytest.mark.parametrize("text", [STAMP, "2026-11-20 12:00:00", "2026-11-20T12:00:00+01:00",
                                  "2026-11-20 12:00:00 America/New_York", "2026-11-20 12:00:00 -0500", "", "  \n"])
def test_timestamps_nbgrader_reads_are_accepted(text):
    assert timestamp.problem(text.encode(), 256) is None


@pytest.mark.parametrize("data, words", [
    (b"the day before the deadline", "not a time"),
    (b"2026-11-20 12:00:00 ../../../etc/passwd", "time zone"),
    (b"2026-11-20 12:00:00 /dev/zero", "time zone"),
    ("2026-11-20 12:00:00 \u00e9".encode(), "ASCII"),
    (b"2026-11-20\x0012:00:00", "control"),
    (b"10000000000-01-01 00:00:00 UTC", "not a time"),
    (b"1" * 300, "bytes long"),
])
def test_malformed_timestamps_are_refused_with_a_reason(data, words):
    assert words in timestamp.problem(data, 256)


def test_a_malformed_timestamp_is_refused_and_the_rest_read(tmp_path):
    folder = folder_of(tmp_path)
    (folder / "timestamp.txt").write_text("yesterday-ish")
    got = ingest.read_submission(folder)
    assert kinds(got) == {"timestamp.txt": "timestamp"} and "ps1.ipynb" in got.files
    assert "graded without a submission time" in got.refused[0].reason


# -- notebooks -------------------------------------------------------------------

LIMITS = ingest.Limits()


def dumps(nb):
    return json.dumps(nb).encode()


def test_a_notebook_is_rebuilt_with_what_the_pipeline_reads():
    nb = new_notebook(cells=[new_code_cell("x = 1"), new_markdown_cell("hi")])
    nb.cells[0].metadata = {"nbgrader": {"grade_id": "q1", "solution": True, "grade": False, "locked": False,
                                         "schema_version": 3}, "tags": ["a", "a"], "collapsed": "weird"}
    nb.cells[0].outputs = [new_output("stream", name="stdout", text="1")]
    nb.cells[1].attachments = {"x.png": {"image/png": "AAAA"}}
    nb.metadata["initgrader"] = {"reasons": ["forged"]}
    raw = json.loads(nbformat.writes(nb))
    raw["cells"][0]["source"] = ["x = ", "1"]
    parsed, notes = notebook.parse(dumps(raw), LIMITS)
    assert notes == [] and [c.source for c in parsed.cells] == ["x = 1", "hi"]
    assert parsed.cells[0].metadata == {"nbgrader": nb.cells[0].metadata["nbgrader"], "tags": ["a"]}
    assert parsed.cells[0].outputs == [] and "attachments" not in parsed.cells[1]
    assert "initgrader" not in parsed.metadata
    nbformat.validate(parsed)
    kept, _ = notebook.parse(dumps(raw), LIMITS, grader_written=True)
    assert kept.cells[0].outputs[0].text == "1" and kept.metadata["initgrader"] == {"reasons": ["forged"]}


def test_the_source_notebook_reads_as_nbformat_reads_it():
    path = os.path.join(os.path.dirname(__file__), "..", "source", "random_initialization",
                        "random_initialization.ipynb")
    with open(path, "rb") as handle:
        parsed, notes = notebook.parse(handle.read(), LIMITS)
    reference = nbformat.read(path, as_version=4)
    assert notes == []
    assert [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in parsed.cells] == \
        [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in reference.cells]


def test_wrong_types_cost_the_cell_not_the_notebook():
    raw = json.loads(nbformat.writes(new_notebook(cells=[new_code_cell("good = 1")])))
    raw["cells"] += ["a string", 42, {"cell_type": "javascript", "source": "x"},
                     {"cell_type": "code", "source": {"not": "text"}},
                     {"cell_type": "code", "source": "y = 2", "metadata": [], "outputs": 7, "execution_count": "1",
                      "id": "../../x"},
                     {"cell_type": "markdown", "source": "m", "metadata": {"nbgrader": {
                         "grade_id": "q<img>", "grade": "yes", "points": "1000", "solution": True}}}]
    parsed, notes = notebook.parse(dumps(raw), LIMITS)
    assert [c.source for c in parsed.cells] == ["good = 1", "y = 2", "m"]
    assert len(notes) == 4 and all("was left out" in note for note in notes)
    assert parsed.cells[1].execution_count is None and parsed.cells[1].id != "../../x"
    assert "nbgrader" not in parsed.cells[2].metadata
    nbformat.validate(parsed)


@pytest.mark.parametrize("raw, words", [
    (b"[]", "not a JSON object"),
    (b'{"nbformat": 3, "worksheets": []}', "format 3"),
    (b'{"nbformat": 4, "cells": {"0": {}}}', "no list of cells"),
    (b'{"nbformat": 4, "cells": [', "could not be read"),
    (b'{"nbformat": 4, "cells": [], "x": "\xff"}', "could not be read"),
    (b'{"nbformat": 4, "cells": [], "x": "never ends}', "could not be read"),
])
def test_notebooks_that_are_not_notebooks_are_unreadable(raw, words):
    with pytest.raises(ingest.Unreadable, match=words):
        notebook.parse(raw, LIMITS)


def test_escaped_quotes_and_backslashes_do_not_fool_the_measure():
    text = 'a "quoted" \\ back\\slash \\"'
    nb = new_notebook(cells=[new_code_cell(text), new_code_cell("[[[[[[")])
    parsed, _ = notebook.parse(nbformat.writes(nb).encode(), ingest.Limits(max_json_depth=6))
    assert parsed.cells[0].source == text


@pytest.mark.parametrize("data, words", [
    (b'{"nbformat": 4, "cells": [], "x": ' + b"[" * 20_000_000 + b"]" * 20_000_000 + b"}", "nested more than"),
    (b'{"nbformat": 4, "cells": [], "x": [' + b"{}," * 6_000_000 + b"{}]}", "lists and objects"),
    (b'{"nbformat": 4, "cells": [], "x": [' + b"1," * 6_000_000 + b"1]}", "JSON values"),
    (b'{"nbformat": 4, "cells": [], "x": "' + b'\\"' * 6_000_000 + b'"}', "escaped quotes"),
])
def test_bombs_under_the_size_cap_are_refused_before_parsing(data, words):
    started = time.monotonic()
    with pytest.raises(ingest.Unreadable, match=words):
        notebook.parse(data, LIMITS)
    assert time.monotonic() - started < 10


def test_a_notebook_over_the_size_cap_is_not_read():
    with pytest.raises(ingest.Unreadable, match="over the 1 MB limit"):
        notebook.parse(b" " * (2 * 1024**2), ingest.Limits(max_notebook_bytes=1024**2))


def test_read_notebook_names_what_it_found_instead(tmp_path):
    folder = folder_of(tmp_path)
    location = ingest.tree.Location(str(tmp_path / "submitted"), ["alice", "ps1"], ["student folder",
                                                                                    "assignment folder"])
    nb, _ = ingest.read_notebook(location, str(tmp_path), "ps1.ipynb", LIMITS)
    assert nb.cells[0].source == "x = 1"
    with pytest.raises(ingest.Unreadable, match=r"no notebook named other.ipynb .*found: ps1.ipynb"):
        ingest.read_notebook(location, str(tmp_path), "other.ipynb", LIMITS)
    os.mkfifo(folder / "pipe.ipynb")
    with pytest.raises(ingest.Unreadable, match="named pipe"):
        ingest.read_notebook(location, str(tmp_path), "pipe.ipynb", LIMITS)


# -- admitting a submission to nbgrader's run --------------------------------------

def coursedir_of(root, **traits):
    return CourseDirectory(root=str(root), **traits)


def test_admit_moves_refused_objects_to_the_quarantine_and_records_why(tmp_path):
    secret = tmp_path / "source.ipynb"
    secret.write_text("SOLUTION")
    folder = folder_of(tmp_path)
    os.symlink(secret, folder / "notes.json")
    os.link(secret, folder / "data.json")
    os.mkfifo(folder / "pipe")
    inode = os.lstat(folder / "notes.json").st_ino
    got = ingest.admit(coursedir_of(tmp_path), "alice", "ps1", settings())
    assert sorted(os.listdir(folder)) == ["ps1.ipynb", "timestamp.txt"]
    shelf = tmp_path / "quarantine" / "alice" / "ps1"
    (stamp,) = [name for name in os.listdir(shelf) if name != RECORD]
    assert sorted(os.listdir(shelf / stamp)) == ["data.json", "notes.json", "pipe"]
    assert os.lstat(shelf / stamp / "notes.json").st_ino == inode and secret.read_text() == "SOLUTION"
    assert {r.path: r.moved_to for r in got.refused}["notes.json"] == f"quarantine/alice/ps1/{stamp}/notes.json"
    assert "moved to quarantine/alice/ps1/" in got.refused[0].sentence()

    again = ingest.admit(coursedir_of(tmp_path), "alice", "ps1", settings())
    assert again.refused == got.refused  # the record keeps the reasons once the objects are gone

    (folder / "ps1.ipynb").write_text(nbformat.writes(new_notebook()))
    assert ingest.admit(coursedir_of(tmp_path), "alice", "ps1", settings()).refused == []


def test_a_linked_student_folder_is_moved_and_left_as_an_empty_folder(tmp_path):
    other = folder_of(tmp_path, "carol")
    os.symlink(other.parent, tmp_path / "submitted" / "mallory")
    got = ingest.admit(coursedir_of(tmp_path), "mallory", "ps1", settings())
    assert "student folder submitted/mallory is a symbolic link" in got.whole.reason
    assert os.listdir(tmp_path / "submitted" / "mallory") == []
    assert os.path.islink(tmp_path / got.whole.moved_to)
    assert sorted(os.listdir(other)) == ["ps1.ipynb", "timestamp.txt"]
    assert ingest.admit(coursedir_of(tmp_path), "mallory", "ps1", settings()).whole == got.whole


def test_the_quarantine_follows_the_course_layout_and_never_a_link(tmp_path):
    folder = folder_of(tmp_path, "alice", "ps1")
    os.mkfifo(folder / "pipe")
    got = ingest.admit(coursedir_of(tmp_path), "alice", "ps1", settings(quarantine_directory="held"))
    assert got.refused[0].moved_to.startswith("held/alice/ps1/")
    with pytest.raises(Exception, match="relative path"):
        settings(quarantine_directory="/var/held")

    folder = folder_of(tmp_path, "bob", "ps1")
    os.mkfifo(folder / "pipe")
    os.symlink(tmp_path, tmp_path / "held" / "bob")
    with pytest.raises(ingest.QuarantineError, match="not a folder"):
        ingest.admit(coursedir_of(tmp_path), "bob", "ps1", settings(quarantine_directory="held"))
    assert os.path.exists(folder / "pipe")


def test_job_files_let_a_worker_grade_the_submission_as_the_course_would(tmp_path):
    course = tmp_path / "course"
    (course / "source" / "ps1").mkdir(parents=True)
    (course / "source" / "ps1" / "ps1.ipynb").write_text("{}")
    folder = folder_of(course)
    (folder / "ps1.ipynb").unlink()
    os.mkfifo(folder / "ps1.ipynb")
    os.symlink("/dev/zero", folder / "zeros")
    files = ingest.job_files(coursedir_of(course), "alice", "ps1", settings())
    assert files["submitted/alice/ps1/ps1.ipynb"] == b""  # the stand-in
    assert "quarantine/alice/ps1/refused.json" in files and "submitted/alice/ps1/zeros" not in files
    assert os.path.exists(folder / "zeros")  # nothing changed in the course

    worker = tmp_path / "worker"
    worker.mkdir()
    write_files(str(worker), files)
    got = ingest.admit(coursedir_of(worker), "alice", "ps1", settings())
    assert kinds(got) == {"ps1.ipynb": "fifo", "zeros": "symlink"} and got.refusal_of("ps1.ipynb").kind == "fifo"


def test_write_files_makes_regular_files_only_under_its_folder(tmp_path):
    write_files(str(tmp_path), {"a/b.txt": b"1"})
    assert (tmp_path / "a" / "b.txt").read_bytes() == b"1"
    os.symlink(tmp_path / "elsewhere", tmp_path / "a" / "c.txt")
    for bad in ({"../x": b""}, {"a/c.txt": b""}, {"a/b.txt": b"2"}):
        with pytest.raises((ValueError, OSError)):
            write_files(str(tmp_path), bad)
    assert not (tmp_path / "elsewhere").exists() and (tmp_path / "a" / "b.txt").read_bytes() == b"1"


def test_job_files_carry_what_an_earlier_nbgrader_run_moved_out(tmp_path):
    folder = folder_of(tmp_path)
    os.symlink("/dev/zero", folder / "zeros")
    first = ingest.admit(coursedir_of(tmp_path), "alice", "ps1", settings())
    files = ingest.job_files(coursedir_of(tmp_path), "alice", "ps1", settings())
    worker = tmp_path / "worker"
    worker.mkdir()
    write_files(str(worker), files)
    assert ingest.admit(coursedir_of(worker), "alice", "ps1", settings()).refused == first.refused


def test_undecodable_names_are_refused_with_text_a_notebook_can_hold(tmp_path):
    folder = folder_of(tmp_path)
    os.symlink("/dev/zero", os.path.join(bytes(folder), b"\xfe-link"))
    (refusal,) = ingest.read_submission(folder).refused
    assert refusal.path == "\udcfe-link" and refusal.reason == "\\xfe-link is a symbolic link"
    json.dumps(refusal.for_notebook(), ensure_ascii=False).encode("utf-8")


def test_a_folder_where_the_grader_puts_a_file_is_refused_by_admit_and_job_files(tmp_path):
    source = tmp_path / "instructor" / "ps1"
    (source / "data").mkdir(parents=True)
    (source / "ps1.ipynb").write_text("{}")
    (source / "tools.py").write_text("")
    (source / "data" / "x.csv").write_text("")
    (source / "__pycache__").mkdir()
    (source / "__pycache__" / "tools.pyc").write_text("")
    coursedir = coursedir_of(tmp_path, source_directory="instructor")
    folder = folder_of(tmp_path)
    (folder / "timestamp.txt").unlink()
    for name in ("tools.py", "ps1.html", "timestamp.txt", "__pycache__/tools.pyc"):
        (folder / name).mkdir(parents=True)
        (folder / name / "x").write_text("")
    (folder / "data").write_text("a file where the course's data/x.csv goes")
    (folder / "ps1.txt").mkdir()
    clashes = {"tools.py", "ps1.html", "timestamp.txt", "data"}

    files = ingest.job_files(coursedir, "alice", "ps1", settings())
    assert not [path for path in files if path.split(os.sep)[3] in clashes]
    record = json.loads(files["quarantine/alice/ps1/refused.json"])
    assert {r["path"]: r["kind"] for r in record["refused"]} == dict.fromkeys(clashes, "grader-file")

    got = ingest.admit(coursedir, "alice", "ps1", settings())
    assert kinds(got) == dict.fromkeys(clashes, "grader-file")
    assert sorted(os.listdir(folder)) == ["__pycache__", "ps1.ipynb", "ps1.txt"]
    reasons = {r.path: r.reason for r in got.refused}
    assert reasons["tools.py"] == ("tools.py is a folder where the grader puts a file of that name "
                                   "(the course's own copy of it)")
    assert reasons["ps1.html"].endswith("(the feedback)")
    assert reasons["data"] == ("data is a file where the grader puts a folder holding data/x.csv "
                               "(the course's own copy of it)")


def test_files_named_as_the_grader_names_them_are_read(tmp_path):
    (tmp_path / "source" / "ps1").mkdir(parents=True)
    (tmp_path / "source" / "ps1" / "ps1.ipynb").write_text("{}")
    (tmp_path / "source" / "ps1" / "tools.py").write_text("")
    folder = folder_of(tmp_path)
    (folder / "tools.py").write_text("x = 1")
    (folder / "ps1.html").write_text("")
    assert ingest.admit(coursedir_of(tmp_path), "alice", "ps1", settings()).refused == []


def test_a_refusal_that_cannot_be_moved_sets_the_whole_submission_aside(tmp_path, monkeypatch):
    renames_as_a_user(monkeypatch)
    folder = folder_of(tmp_path)
    os.mkfifo(folder / "pipe")
    (folder / "ro").mkdir()
    os.symlink("/etc/passwd", folder / "ro" / "link")
    os.chmod(folder / "ro", 0o555)
    got = ingest.admit(coursedir_of(tmp_path), "alice", "ps1", settings())
    assert kinds(got) == {"pipe": "fifo", "ro/link": "symlink", ".": "unmovable"}
    assert got.refusal_of("ps1.ipynb") == got.whole
    assert got.whole.reason.startswith("ro/link is a symbolic link, and could not move ro/link to quarantine/")
    assert got.whole.reason.endswith("Permission denied, so the whole submission was set aside")
    assert os.listdir(tmp_path / "submitted" / "alice") == []
    assert os.path.islink(tmp_path / got.whole.moved_to / "ro" / "link")
    assert got.refused[1].moved_to == os.path.join(got.whole.moved_to, "ro", "link")
    assert ingest.admit(coursedir_of(tmp_path), "alice", "ps1", settings()).refused == got.refused


def test_a_submission_that_cannot_be_set_aside_is_not_read(tmp_path, monkeypatch):
    renames_as_a_user(monkeypatch)
    folder = folder_of(tmp_path)
    os.symlink("/etc/passwd", folder / "link")
    os.chmod(folder, 0o555)
    with pytest.raises(ingest.QuarantineError, match="could not move link .* nor the submission as a whole: "
                                                     "could not move ps1 .*Permission denied"):
        ingest.admit(coursedir_of(tmp_path), "alice", "ps1", settings())
    assert os.path.islink(folder / "link")
