"""nbgrader's ``OverwriteCells``, with the notebook's cells read from the gradebook once.

nbgrader looks up every nbgrader cell of a submission on its own, one or two
three-table ORM queries each: most of the sanitize step's time. The
notebook's source, grade and task cells come instead from one ``Notebook``
row and one query per kind of cell, and nbgrader's own ``preprocess_cell`` runs
unchanged against that index.
"""
import re

from nbgrader.api import GradeCell, MissingEntry, SourceCell, TaskCell
from nbgrader.preprocessors import OverwriteCells

EXACT_NAMES = frozenset({"sqlite", "postgresql"})
"""Databases whose ``=`` on names is exact, as a dict lookup is (MySQL's usual collations ignore case)."""
SCHEMA_NAME = re.compile(r"[A-Za-z0-9_-]*")
"""The grade ids nbgrader's cell schema allows: every name of a valid gradebook has this form."""


def cells(gradebook, table, notebook):
    """The rows of ``table`` in ``notebook``, every column in one query (a relationship loads
    a grade cell's own columns with a query per cell)."""
    return gradebook.db.query(table).filter(table.notebook_id == notebook.id).all()


class NotebookCells:
    """``find_source_cell`` and ``find_graded_cell`` of a ``Gradebook``, answered for one notebook from an index.

    Other lookups go to the gradebook itself, answered by nbgrader's query with whatever the database
    makes of them: a name of another form than the schema allows (not a string, a NUL, half a
    surrogate pair), another notebook, a database that compares names loosely.
    """

    def __init__(self, gradebook, notebook, assignment):
        self.gradebook, self.notebook, self.assignment = gradebook, notebook, assignment
        self.exact = gradebook.engine.dialect.name in EXACT_NAMES
        self.source, self.graded = {}, {}
        if not self.exact:
            return
        try:
            row = gradebook.find_notebook(notebook, assignment)
        except MissingEntry:
            return
        self.source = {cell.name: cell for cell in cells(gradebook, SourceCell, row)}
        # a grade cell is found before a task cell of the same name
        for table in (TaskCell, GradeCell):
            self.graded.update((cell.name, cell) for cell in cells(gradebook, table, row))

    def __getattr__(self, name):
        return getattr(self.gradebook, name)

    def _indexed(self, name, notebook, assignment):
        return (self.exact and isinstance(name, str) and SCHEMA_NAME.fullmatch(name) is not None
                and (notebook, assignment) == (self.notebook, self.assignment))

    def find_source_cell(self, name, notebook, assignment):
        if not self._indexed(name, notebook, assignment):
            return self.gradebook.find_source_cell(name, notebook, assignment)
        try:
            return self.source[name]
        except KeyError:
            raise MissingEntry(f"No such source cell: {assignment}/{notebook}/{name}") from None

    def find_graded_cell(self, name, notebook, assignment):
        if not self._indexed(name, notebook, assignment):
            return self.gradebook.find_graded_cell(name, notebook, assignment)
        try:
            return self.graded[name]
        except KeyError:
            raise MissingEntry(f"No such grade cell: {assignment}/{notebook}/{name}") from None


class IndexedOverwriteCells(OverwriteCells):
    """A drop-in for nbgrader's ``OverwriteCells``: the same checks, changes and warnings."""

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
