"""nbgrader's ``OverwriteCells``, with the notebook's cells read from the gradebook once.

nbgrader looks up every nbgrader cell of a submission on its own, one or two
three-table ORM queries each: most of the sanitize step's time. The
notebook's source, grade and task cells come instead from one ``Notebook``
row and one query per kind of cell, and nbgrader's own ``preprocess_cell`` runs
unchanged against that index.
"""
import re

from sqlalchemy.orm import defer

from nbgrader.api import GradeCell, MissingEntry, SourceCell, TaskCell
from nbgrader.preprocessors import OverwriteCells

EXACT_NAMES = frozenset({"sqlite", "postgresql"})
"""Databases whose ``=`` on names is exact, as a dict lookup is (MySQL's usual collations ignore case)."""
SCHEMA_NAME = re.compile(r"[A-Za-z0-9_-]*")
"""The grade ids nbgrader's cell schema allows, which every database can take."""
NOT_INDEXED = {"source": {}, "graded": {}}


def by_name(rows):
    """The rows by name, or None if two share a name (nbgrader's query then raises, and must be the one to)."""
    index = {row.name: row for row in rows}
    return index if len(index) == len(rows) else None


class NotebookCells:
    """``find_source_cell`` and ``find_graded_cell`` of a ``Gradebook``, for one notebook, from an index.

    The index is read at the first lookup of a name of the form nbgrader's schema allows. A cell it
    holds is the answer; every other lookup goes to nbgrader's own query, which answers or fails as
    nbgrader does whatever the name and the database make of it: a name that is missing, not a
    string, or one the database cannot take, another notebook, a database that compares names
    loosely, a gradebook with two cells of one name.
    """

    def __init__(self, gradebook, notebook, assignment):
        self.gradebook, self.key = gradebook, (notebook, assignment)
        self.cells = None

    def __getattr__(self, name):
        return getattr(self.gradebook, name)

    def read(self):
        if self.gradebook.engine.dialect.name not in EXACT_NAMES:
            return NOT_INDEXED
        try:
            notebook = self.gradebook.find_notebook(*self.key)
        except MissingEntry:
            return NOT_INDEXED
        # every column in one query per kind (a relationship loads a grade cell's own columns cell by cell);
        # a cell's source is read only if nbgrader restores it
        query = self.gradebook.db.query
        source = by_name(query(SourceCell).options(defer(SourceCell.source)).filter(
            SourceCell.notebook_id == notebook.id).all())
        tasks, grades = (by_name(query(table).filter(table.notebook_id == notebook.id).all())
                         for table in (TaskCell, GradeCell))
        if None in (source, tasks, grades):
            return NOT_INDEXED
        # nbgrader tries grade cells, then task cells
        return {"source": source, "graded": {**tasks, **grades}}

    def lookup(self, kind, name, notebook, assignment):
        """The indexed cell of ``kind`` called ``name``, or None: then nbgrader's query answers."""
        if not isinstance(name, str) or SCHEMA_NAME.fullmatch(name) is None or (notebook, assignment) != self.key:
            return None
        if self.cells is None:
            self.cells = self.read()
        return self.cells[kind].get(name)

    def find_source_cell(self, name, notebook, assignment):
        cell = self.lookup("source", name, notebook, assignment)
        return cell if cell is not None else self.gradebook.find_source_cell(name, notebook, assignment)

    def find_graded_cell(self, name, notebook, assignment):
        cell = self.lookup("graded", name, notebook, assignment)
        return cell if cell is not None else self.gradebook.find_graded_cell(name, notebook, assignment)


class IndexedOverwriteCells(OverwriteCells):
    """A drop-in for nbgrader's ``OverwriteCells``: the same checks, changes, warnings and errors."""

    _index = None

    def preprocess(self, nb, resources):
        try:
            return super().preprocess(nb, resources)
        finally:
            # the rows belong to this run's gradebook, which nbgrader has closed
            self._index = None

    def preprocess_cell(self, cell, resources, cell_index):
        gradebook = self.gradebook
        if self._index is None or self._index.gradebook is not gradebook:
            self._index = NotebookCells(gradebook, self.notebook_id, self.assignment_id)
        self.gradebook = self._index
        try:
            return super().preprocess_cell(cell, resources, cell_index)
        finally:
            self.gradebook = gradebook
