"""nbgrader's pre- and post-convert hooks for autograding.

Both run with the course root as the working directory and receive the
paths of the submission's notebooks (see ``BaseConverter.convert_notebooks``).
"""
import glob
import os

from nbgrader.coursedir import CourseDirectory


def submission_folder(notebooks):
    return os.path.dirname(notebooks[0]) if notebooks else None


def expect_every_notebook(assignment, student, notebooks):
    """Add the source's notebooks that the submission lacks to the list nbgrader converts.

    A renamed notebook otherwise leaves nbgrader with nothing to grade, so it
    stops before giving the missing notebook its zeros. A missing path is read
    by ``SafeNotebookExporter`` as an empty notebook with a reason, and every
    graded cell scores zero.
    """
    folder = submission_folder(notebooks)
    if folder is None:
        return
    coursedir = CourseDirectory()
    source = coursedir.format_path(coursedir.source_directory, ".", os.path.basename(folder))
    for path in sorted(glob.glob(os.path.join(source, "*.ipynb"))):
        expected = os.path.join(folder, os.path.basename(path))
        if expected not in notebooks:
            notebooks.append(expected)


def drop_linked_copies(assignment, student, notebooks):
    """Delete from ``autograded/`` the copies nbgrader made of symbolic links in the submission.

    nbgrader copies submitted files with ``shutil.copy``, which follows links,
    so a link to any file the grader can read would otherwise leave that
    file's content beside the graded notebook.
    """
    folder = submission_folder(notebooks)
    if folder is None:
        return
    coursedir = CourseDirectory()
    submitted = os.path.relpath(folder, coursedir.root).split(os.sep)
    if submitted[0] != coursedir.submitted_directory:
        return
    graded = os.path.join(coursedir.root, coursedir.autograded_directory, *submitted[1:])
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            path = os.path.join(dirpath, name)
            # graded notebooks are written by the conversion itself, never copied
            if name.endswith(".ipynb") or not os.path.islink(path):
                continue
            copy = os.path.join(graded, os.path.relpath(path, folder))
            if os.path.isfile(copy):
                os.remove(copy)
