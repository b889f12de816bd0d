"""Rebuild a submission on the source notebook, keeping only what the student wrote.

A submission can delete, duplicate, re-tag or rewrite any cell. Rebuilding
from the source means every graded cell is present exactly once, with the
source's code and points, whatever the student did; the student's answers
and extra cells are carried over as ungraded content.
"""
import copy
import os
from collections import defaultdict

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell
from traitlets import Integer, Unicode

from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from ..ingest import context

MISSING_CODE = "# No answer for this cell was found in the submission."


def grade_id(cell):
    """The cell's nbgrader id, or None for anything malformed."""
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    value = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
    return value if isinstance(value, str) else None


def text_of(cell):
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(part for part in source if isinstance(part, str))
    return source if isinstance(source, str) else ""


def plain_copy(cell):
    """An ungraded copy of a student cell: its text, none of its metadata."""
    if cell.get("cell_type") == "code":
        return new_code_cell(text_of(cell))
    return new_markdown_cell(text_of(cell))


class RebuildFromSource(NbGraderPreprocessor):
    """Lay the student's answers onto the cells of the source notebook."""

    missing_markdown = Unicode(
        "YOUR ANSWER HERE",
        help="Text of a written answer that is missing from the submission; the release's stub, so that "
             "nbgrader scores it as 'No response'.").tag(config=True)
    max_extra_cells = Integer(
        1000,
        help="Cells of the student's own carried into the graded notebook; later ones are left out, and the "
             "notebook's reasons say so.").tag(config=True)

    def source_notebook(self, resources):
        coursedir, _ = context.course_of(self)
        folder = coursedir.format_path(coursedir.source_directory, ".", resources["nbgrader"]["assignment"])
        return nbformat.read(os.path.join(folder, resources["nbgrader"]["notebook"] + ".ipynb"), as_version=4)

    def preprocess(self, nb, resources):
        source = self.source_notebook(resources)
        graded = {grade_id(cell): cell for cell in source.cells if grade_id(cell)}
        answers, extras, anchor, carried, left_out = {}, defaultdict(list), None, 0, 0
        for cell in nb.cells:
            if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown"):
                continue
            cell_id = grade_id(cell)
            original = graded.get(cell_id)
            if original is not None and utils.is_solution(original) and cell_id not in answers \
                    and cell.get("cell_type") == original.cell_type:
                answers[cell_id] = text_of(cell)
            elif original is None or utils.is_solution(original) and cell.get("cell_type") == "code":
                # the student's own cells are the only ones whose number the submission chooses: the graded
                # notebook, which every later step reads, holds a bounded number of them
                if carried < self.max_extra_cells:
                    carried += 1
                    extras[anchor if original is None else cell_id].append(plain_copy(cell))
                else:
                    left_out += 1
            if original is not None:
                anchor = cell_id

        cells = list(extras[None])
        missing = []
        for original in source.cells:
            cell_id = grade_id(original)
            if cell_id is None:
                continue
            cell = copy.deepcopy(original)
            if utils.is_solution(original):
                if cell_id not in answers:
                    missing.append(cell_id)
                stub = MISSING_CODE if original.cell_type == "code" else self.missing_markdown
                cell.source = answers.get(cell_id, stub)
            cells.append(cell)
            cells.extend(extras[cell_id])
        nb.cells = cells

        # the submission's own notebook metadata is not trusted either
        reasons = list(resources.get("initgrader_reasons", []))
        if left_out:
            reasons.append(f"The submission has {carried + left_out} cells of its own; the last {left_out} were left "
                           f"out of the graded notebook, which keeps {self.max_extra_cells}.")
        if missing:
            self.log.warning("No answer found for %s", ", ".join(missing))
            reasons.append("No answer was found for: " + ", ".join(missing))
        nb.metadata = copy.deepcopy(source.metadata)
        nb.metadata["initgrader"] = {"reasons": reasons, "refused": list(resources.get("initgrader_refused", [])),
                                     "unreadable": resources.get("initgrader_unreadable")}
        return nb, resources
