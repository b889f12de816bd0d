"""IndexedOverwriteCells does what nbgrader's OverwriteCells does, with a few queries instead of one or two per cell."""
import collections
import copy
import itertools
import logging
import sqlite3
import shutil

import nbformat
import pytest
import sqlalchemy as sa
from traitlets.config import Config

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import OverwriteCells, SaveCells
from nbgrader.tests.preprocessors import test_overwritecells as nbgraders_tests
from nbgrader.tests.preprocessors.test_overwritecells import gradebook, resources  # noqa: F401 (fixtures)

from initgrader.driver import scratchdb
from initgrader.plugins.overwritecells import IndexedOverwriteCells, NotebookCells, by_name
from support.course import ENV, KIT, KIT_ASSIGNMENT

RELEASED = KIT / "release" / KIT_ASSIGNMENT / f"{KIT_ASSIGNMENT}.ipynb"


@pytest.fixture(scope="module")
def empty_gradebook(tmp_path_factory):
    """An empty gradebook file, created once: creating one runs ``alembic``, opening a copy does not."""
    path = tmp_path_factory.mktemp("template") / "gradebook.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", ENV["PATH"])
        Gradebook(f"sqlite:///{path}").close()
    return path


@pytest.fixture
def db(tmp_path, empty_gradebook):
    """What nbgrader's fixture of this name is, a fresh gradebook's URL, from the template."""
    shutil.copyfile(empty_gradebook, tmp_path / "gradebook.db")
    return f"sqlite:///{tmp_path / 'gradebook.db'}"


@pytest.fixture
def preprocessors():
    return SaveCells(), IndexedOverwriteCells()


class TestIndexedOverwriteCellsPassesNbgradersTests(nbgraders_tests.TestOverwriteCells):
    """nbgrader's own tests of OverwriteCells, run on the drop-in (the fixture above supplies it)."""


# -- the kit's notebook, tampered with as submissions are ----------------------------------

def graded_ids(nb, kind=None):
    return [i for i, cell in enumerate(nb.cells) if "nbgrader" in cell.metadata
            and (kind is None or cell.metadata.nbgrader.get(kind))]


def tampered(nb):
    """Submissions that each break one thing OverwriteCells checks or repairs."""
    variants = {"as released": copy.deepcopy(nb)}

    def variant(name, change):
        copied = copy.deepcopy(nb)
        change(copied)
        variants[name] = copied

    def every(kind, change):
        return lambda copied: [change(copied.cells[i]) for i in graded_ids(copied, kind)]

    variant("sources edited", every(None, lambda cell: setattr(cell, "source", cell.source + "\n# edited")))
    variant("points changed", every("grade", lambda cell: cell.metadata.nbgrader.update(points=99)))
    variant("locks flipped", every(None, lambda cell: cell.metadata.nbgrader.update(
        locked=not cell.metadata.nbgrader.get("locked", False))))
    variant("checksums removed", every(None, lambda cell: cell.metadata.nbgrader.pop("checksum", None)))
    variant("ids unknown", every("grade", lambda cell: cell.metadata.nbgrader.update(grade_id="not-in-db")))
    variant("ids in upper case", every(None, lambda cell: cell.metadata.nbgrader.update(
        grade_id=cell.metadata.nbgrader["grade_id"].upper())))
    variant("ids as numbers", every("solution", lambda cell: cell.metadata.nbgrader.update(grade_id=7)))
    odd = itertools.cycle(["a\x00b", "\ud800", "caf\u00e9", "with space", "x" * 10_000, "line\n"])
    variant("ids of odd characters", every(None, lambda cell: cell.metadata.nbgrader.update(grade_id=next(odd))))

    def retype(cell):
        if cell.cell_type == "code":
            cell.cell_type = "markdown"
            del cell["outputs"], cell["execution_count"]
        else:
            cell.cell_type, cell.outputs, cell.execution_count = "code", [], None

    variant("cell types changed", every(None, retype))
    variant("no nbgrader cells", lambda copied: [cell.metadata.pop("nbgrader", None) for cell in copied.cells])
    variant("grade cells deleted", lambda copied: [copied.cells.pop(i) for i in graded_ids(copied, "grade")[:-4:-1]])
    return variants


@pytest.fixture(scope="module")
def released():
    return nbformat.read(RELEASED, as_version=4)


@pytest.fixture(params=["sqlite", "scratch", pytest.param("postgresql", marks=pytest.mark.slow)])
def kit_gradebook(request, db, released, monkeypatch):
    """A gradebook holding the released notebook's cells: plain SQLite, a worker's scratch SQLite, PostgreSQL."""
    if request.param == "postgresql":
        monkeypatch.setenv("PATH", ENV["PATH"])
        url = request.getfixturevalue("postgres_url")
    else:
        url = db if request.param == "sqlite" else scratchdb.url(db.removeprefix("sqlite:///"))
    with Gradebook(url) as gb:
        gb.add_assignment("ps1")
    SaveCells().preprocess(copy.deepcopy(released), kit_resources(url))
    return url


def kit_resources(url, notebook=KIT_ASSIGNMENT):
    return {"nbgrader": {"db_url": url, "assignment": "ps1", "notebook": notebook}}


def overwrite(preprocessor_class, nb, resources, caplog, add_missing=False):
    config = Config({"OverwriteCells": {"add_missing_cells": add_missing}})
    preprocessor = preprocessor_class(config=config)
    preprocessor.log = logging.getLogger("overwrite-test")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="overwrite-test"):
        try:
            result = preprocessor.preprocess(copy.deepcopy(nb), copy.deepcopy(resources))[0]
        except Exception as error:
            result = (type(error).__name__, str(error))
    return result, [record.getMessage() for record in caplog.records]


@pytest.mark.parametrize("add_missing", [False, True])
@pytest.mark.parametrize("notebook", [KIT_ASSIGNMENT, "not-in-db", "\udcffnot-utf-8"])
def test_the_kits_tampered_notebooks_come_out_as_nbgrader_makes_them(kit_gradebook, released, caplog, add_missing,
                                                                     notebook):
    resources = kit_resources(kit_gradebook, notebook)
    for name, nb in tampered(released).items():
        want = overwrite(OverwriteCells, nb, resources, caplog, add_missing)
        got = overwrite(IndexedOverwriteCells, nb, resources, caplog, add_missing)
        assert got == want, name


def test_the_comparison_sees_repairs_and_warnings(kit_gradebook, released, caplog):
    resources = kit_resources(kit_gradebook)
    outcomes = {name: overwrite(OverwriteCells, nb, resources, caplog) for name, nb in tampered(released).items()}
    # the checksums are written back silently
    for name in ("as released", "checksums removed"):
        assert outcomes.pop(name) == (released, []), name
    # without add_missing_cells, a missing cell stays missing; a notebook without nbgrader cells is left alone
    assert outcomes.pop("grade cells deleted")[1] == []
    assert outcomes.pop("no nbgrader cells")[1] == []
    # the rest is repaired or removed with a warning, or refused (PostgreSQL compares no name with a number)
    for name, (nb, warnings) in outcomes.items():
        assert warnings or isinstance(nb, tuple), name
    assert outcomes["points changed"] == (released, outcomes["points changed"][1])
    assert outcomes["ids unknown"][0] != released


def statements(run):
    count = 0

    def counted(*_):
        nonlocal count
        count += 1

    original = Gradebook.__init__

    def listening(self, *args, **kwargs):
        original(self, *args, **kwargs)
        sa.event.listen(self.engine, "before_cursor_execute", counted)

    Gradebook.__init__ = listening
    try:
        run()
    finally:
        Gradebook.__init__ = original
    return count


def test_the_notebooks_cells_are_read_once(kit_gradebook, released, caplog):
    resources = kit_resources(kit_gradebook)
    cells = len(graded_ids(released))
    nbgraders = statements(lambda: overwrite(OverwriteCells, released, resources, caplog))
    indexed = statements(lambda: overwrite(IndexedOverwriteCells, released, resources, caplog))
    assert nbgraders >= cells
    assert indexed <= 6 < cells


def test_a_cell_nbgrader_does_not_read_may_be_unreadable(kit_gradebook, released, caplog):
    """A gradebook row the submission never asks for (here a source nobody can decode) stays unread."""
    if not kit_gradebook.startswith("sqlite"):
        pytest.skip("only SQLite stores text it cannot decode")
    nb = copy.deepcopy(released)
    unread = nb.cells.pop(graded_ids(nb, "grade")[-1]).metadata.nbgrader["grade_id"]
    with sqlite3.connect(kit_gradebook.split("///", 1)[1]) as connection:
        connection.execute("UPDATE source_cell SET source = CAST(X'FF' AS TEXT) WHERE name = ?", (unread,))
    resources = kit_resources(kit_gradebook)
    want = overwrite(OverwriteCells, nb, resources, caplog)
    assert overwrite(IndexedOverwriteCells, nb, resources, caplog) == want
    assert want[0] == nb


def test_cells_that_share_a_name_are_left_to_nbgrader():
    Row = collections.namedtuple("Row", "name")
    assert by_name([Row("a"), Row("b")]) == {"a": Row("a"), "b": Row("b")}
    assert by_name([Row("a"), Row("a")]) is None


class LooseGradebook:
    """A gradebook whose database compares names loosely: every lookup must reach it."""

    def __init__(self):
        self.engine = type("Engine", (), {"dialect": type("Dialect", (), {"name": "mysql"})()})()
        self.asked = []

    def find_notebook(self, *args):
        raise AssertionError("a loose database is not indexed")

    def find_source_cell(self, name, notebook, assignment):
        self.asked.append(name)
        raise MissingEntry(name)


def test_lookups_the_index_cannot_answer_exactly_go_to_the_gradebook():
    loose = LooseGradebook()
    cells = NotebookCells(loose, "nb", "ps1")
    with pytest.raises(MissingEntry):
        cells.find_source_cell("Cell", "nb", "ps1")
    assert loose.asked == ["Cell"]


def test_graded_cells_are_found_as_nbgrader_finds_them(db):
    """A grade cell and a task cell may share a name: nbgrader's lookup returns the grade cell."""
    with Gradebook(db) as gb:
        gb.add_assignment("ps1")
        gb.add_notebook("nb", "ps1")
        for name in ("shared", "grade only"):
            gb.add_grade_cell(name, "nb", "ps1", max_score=2, cell_type="code")
        for name in ("shared", "task only"):
            gb.add_task_cell(name, "nb", "ps1", max_score=1, cell_type="markdown")
        cells = NotebookCells(gb, "nb", "ps1")
        for name in ("shared", "grade only", "task only"):
            assert cells.find_graded_cell(name, "nb", "ps1") is gb.find_graded_cell(name, "nb", "ps1")
        with pytest.raises(MissingEntry):
            cells.find_graded_cell("neither", "nb", "ps1")
