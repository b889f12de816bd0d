"""nbgrader's pre-convert hook for autograding.

It runs with the course root as the working directory and receives the
paths of the submission's notebooks (see ``BaseConverter.convert_notebooks``),
but no configuration: the course's comes from ``ingest.context``.
"""
import glob
import os
import re

from .. import ingest
from ..ingest import context


def submission_folder(notebooks):
    return os.path.dirname(notebooks[0]) if notebooks else None


def admit_submission(assignment, student, notebooks):
    """Admit the submission and expect every notebook of the source: the pre-convert hook.

    ``SafeNotebookExporter`` admits every submission of a run before nbgrader
    reads any; this repeats it (at no cost) for a run configured with another
    exporter, before nbgrader copies the submission's files.
    """
    folder = submission_folder(notebooks)
    if folder is None:
        return
    run = context.running(notebooks)
    coursedir, config = context.course_of(run[0] if run else None, notebooks)
    pattern = coursedir.format_path(coursedir.submitted_directory, "(?P<student_id>.*)", "(?P<assignment_id>.*)",
                                    escape=True)
    match = re.match(pattern, folder)
    if match is None:
        return
    student, assignment = match.group("student_id"), match.group("assignment_id")
    if run is not None:
        run[1].admitted_submission(coursedir, student, assignment)
    else:
        ingest.admit(coursedir, student, assignment, ingest.Ingest(config=config))
    expect_every_notebook(coursedir, folder, assignment, notebooks)


def expect_every_notebook(coursedir, folder, assignment, notebooks):
    """Add the source's notebooks that the submission lacks to the list nbgrader converts.

    A renamed notebook otherwise leaves nbgrader with nothing to grade, so it
    stops before giving the missing notebook its zeros. A missing path is read
    by ``SafeNotebookExporter`` as an empty notebook with a reason, and every
    graded cell scores zero.
    """
    source = coursedir.format_path(coursedir.source_directory, ".", assignment)
    for path in sorted(glob.glob(os.path.join(glob.escape(source), "*.ipynb"))):
        expected = os.path.join(folder, os.path.basename(path))
        if expected not in notebooks:
            notebooks.append(expected)
