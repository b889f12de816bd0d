"""Read submitted notebooks defensively, so that no submission is left ungraded."""
import os

import nbformat
from nbconvert.exporters import NotebookExporter
from nbformat.v4 import new_notebook
from traitlets import Integer


class SafeNotebookExporter(NotebookExporter):
    """A NotebookExporter that turns an unreadable submission into an empty notebook and a reason.

    The empty notebook is then rebuilt on the source cells, so every graded
    cell gets a score of zero instead of the submission failing outright.
    """

    max_bytes = Integer(50 * 1024**2, help="Submitted notebooks larger than this are not read.").tag(config=True)

    def problem(self, filename):
        if not os.path.lexists(filename):
            found = sorted(name for name in os.listdir(os.path.dirname(filename)) if name.endswith(".ipynb"))
            return (f"no notebook named {os.path.basename(filename)} was submitted"
                    + (f" (found: {', '.join(found)}; rename it and resubmit)" if found else ""))
        if os.path.islink(filename):
            return "the notebook is a symbolic link, not a file"
        if not os.path.isfile(filename):
            return "the notebook is not a regular file"
        size = os.path.getsize(filename)
        if size > self.max_bytes:
            return f"the notebook is {size / 1024**2:.0f} MB, over the {self.max_bytes / 1024**2:.0f} MB limit"
        return None

    def from_filename(self, filename, resources=None, **kw):
        resources = {} if resources is None else resources
        problem = self.problem(filename)
        if problem is None:
            try:
                with open(filename, encoding="utf-8") as handle:
                    nb = nbformat.read(handle, as_version=4)
                if not isinstance(nb.get("cells"), list):
                    raise ValueError("it has no list of cells")
            except Exception as error:
                problem = f"the notebook could not be read ({type(error).__name__}: {str(error)[:300]})"
        if problem is None:
            return super().from_filename(filename, resources, **kw)
        self.log.warning("%s: %s; grading it as an empty notebook", filename, problem)
        resources.setdefault("initgrader_reasons", []).append("Not graded: " + problem + ".")
        metadata = resources.setdefault("metadata", {})
        metadata.setdefault("name", os.path.splitext(os.path.basename(filename))[0])
        metadata.setdefault("path", os.path.dirname(filename))
        return self.from_notebook_node(new_notebook(), resources, **kw)
