"""Read submitted notebooks through the ingest boundary, so that no submission is left ungraded.

nbgrader builds its exporter with the running converter as parent, after
listing the submissions and before reading any of them (it reads
timestamp.txt while choosing which to grade, before any hook runs). That is
where ``SafeNotebookExporter`` admits every submission of the run: refused
objects leave nbgrader's way before it copies, follows or opens anything.
"""
import datetime
import fnmatch
import glob
import os
import re

from nbconvert.exporters import NotebookExporter
from nbformat.v4 import new_notebook
from nbgrader.converters import Autograde, NbGraderException

from .. import ingest
from ..ingest import context
from ..ingest.tree import Location, locate, shown
from .sanitize import unsafe_student_id


class SafeNotebookExporter(NotebookExporter):
    """A NotebookExporter that reads through the ingest boundary and turns what it refuses into an empty
    notebook and a reason.

    The empty notebook is then rebuilt on the source cells, so every graded
    cell gets a score of zero instead of the submission failing outright.
    """

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.admitted = {}
        if isinstance(self.parent, Autograde):
            context.enter(self.parent, self)
            self.admit_run(self.parent)

    def settings(self):
        return ingest.Ingest(parent=self)

    def _preprocess(self, nb, resources):
        if self.optimistic_validation and not self._preprocessors:
            # nbconvert's optimistic validation names the last preprocessor run, and fails when there is none
            self.optimistic_validation = False
            try:
                return super()._preprocess(nb, resources)
            finally:
                self.optimistic_validation = True
        return super()._preprocess(nb, resources)

    def admit_run(self, converter):
        """Admit every submission ``converter`` listed, and leave out of the run those nbgrader would mishandle."""
        coursedir = converter.coursedir
        # nbgrader lists each folder's notebooks with the folder's name as a glob pattern: a student named
        # "a[b]" gets the notebooks of "ab", or none at all; and the formgrader's button for "a[b]" grades "ab".
        # Such folders are listed again, literally, below.
        wanted = coursedir.format_path(coursedir.submitted_directory, coursedir.student_id, coursedir.assignment_id)
        for folder in glob.glob(wanted) + [wanted]:
            if glob.has_magic(folder) and os.path.isdir(folder):
                converter.assignments.setdefault(folder, [])
        # the pattern nbgrader itself matches each folder with; a name it cannot match stops its whole run
        pattern = coursedir.format_path(coursedir.submitted_directory, "(?P<student_id>.*)",
                                        "(?P<assignment_id>.*)", escape=True)
        unsafe_folders = []
        for folder in sorted(converter.assignments):
            match = re.match(pattern, folder)
            if match is None:
                self.log.error("%s: nbgrader cannot tell the student and assignment from this folder's name; "
                               "it is not graded", shown(folder))
                del converter.assignments[folder]
                continue
            student, assignment = match.group("student_id"), match.group("assignment_id")
            try:
                (student + assignment).encode("utf-8")
            except UnicodeEncodeError:
                self.log.error("%s: the folder's name is not UTF-8 text, which the gradebook cannot store; "
                               "it is not graded", shown(folder))
                del converter.assignments[folder]
                continue
            unsafe = unsafe_student_id(student)
            if unsafe:
                self.log.error("%s: not graded: %s", shown(folder), unsafe)
                del converter.assignments[folder]
                continue
            try:
                got = self.admitted_submission(coursedir, student, assignment)
            except Exception as error:
                self.log.error("%s: could not be made safe to read (%s: %s); it is not graded. Give the grader "
                               "write access to every folder in it (chmod -R u+rwX on it, as its owner or root) "
                               "and grade it again", shown(folder), type(error).__name__, error)
                del converter.assignments[folder]
                unsafe_folders.append(folder)
                continue
            if glob.has_magic(folder):
                names = ingest.expected_notebooks(coursedir, assignment) if got.whole else got.notebooks
                notebooks = [os.path.join(folder, name) for name in names
                             if fnmatch.fnmatchcase(name, coursedir.notebook_id + ".ipynb")]
                if notebooks:
                    converter.assignments[folder] = notebooks
                else:
                    del converter.assignments[folder]
        if unsafe_folders:
            _fail_after_the_run(converter, unsafe_folders)

    def admitted_submission(self, coursedir, student, assignment):
        key = (student, assignment)
        if key not in self.admitted:
            self.admitted[key] = ingest.admit(coursedir, student, assignment, self.settings())
        return self.admitted[key]

    def from_filename(self, filename, resources=None, **kw):
        resources = {} if resources is None else resources
        coursedir, _ = context.course_of(self)
        name = os.path.basename(filename)
        _describe(filename, resources)
        step, location = _where(coursedir, filename, resources.get("nbgrader", {}))
        problem, reasons, refused = None, [], []
        if step == coursedir.submitted_directory:
            ids = resources["nbgrader"]
            try:
                got = self.admitted_submission(coursedir, ids["student"], ids["assignment"])
            except Exception as error:
                problem = f"the submission could not be made safe to read ({type(error).__name__}: {error})"
            else:
                refused = [r.for_notebook() for r in got.refused]
                reasons = [f"Not read: {r.sentence()}." for r in got.other_refusals(name)]
                refusal = got.refusal_of(name)
                problem = refusal.sentence() if refusal else None
        nb, notes = None, []
        if problem is None:
            try:
                nb, notes = ingest.read_notebook(location, coursedir.root, name, self.settings().limits(),
                                                 grader_written=step != coursedir.submitted_directory)
            except ingest.Unreadable as error:
                problem = str(error)
        if problem:
            self.log.warning("%s: %s; grading it as an empty notebook", shown(filename), problem)
            nb = new_notebook()
        unread = f"Not graded: {problem}." if problem else None
        reasons = ([unread] if unread else []) + reasons + notes
        if unread:
            resources["initgrader_unreadable"] = unread
        if reasons:
            resources.setdefault("initgrader_reasons", []).extend(reasons)
        if refused:
            resources.setdefault("initgrader_refused", []).extend(refused)
        return self.from_notebook_node(nb, resources, **kw)


def _fail_after_the_run(converter, folders):
    """Make ``converter``'s run end in an error, as nbgrader's own failures do, once the others are graded.

    A submission left out of the run has no gradebook row and no zeros, so a
    run that succeeded would hide it; nbgrader offers no step after its last
    submission, so its ``convert_notebooks`` is wrapped.
    """
    convert_notebooks = converter.convert_notebooks

    def convert_then_fail():
        convert_notebooks()
        # nbgrader autograde exits without printing the exception: the end of a long log says it too
        message = (f"{len(folders)} submission(s) could not be made safe to read and were not graded: "
                   + ", ".join(map(shown, folders)))
        converter.log.error(message)
        raise NbGraderException(message)

    converter.convert_notebooks = convert_then_fail


def _describe(filename, resources):
    """The resources nbconvert's from_filename sets, taken from lstat: the file is not opened here."""
    metadata = resources.setdefault("metadata", {})
    metadata["name"] = os.path.splitext(os.path.basename(filename))[0]
    metadata["path"] = os.path.dirname(filename)
    try:
        modified = os.stat(filename, follow_symlinks=False).st_mtime
    except OSError:
        modified = 0
    metadata["modified_date"] = datetime.datetime.fromtimestamp(modified, tz=datetime.timezone.utc).strftime(
        "%B %-d, %Y")


def _where(coursedir, filename, ids):
    """(step, Location) of the notebook: a student's submitted/ or autograded/ folder, opened without following
    links from the student folder down; otherwise (None, its folder as given)."""
    folder = os.path.dirname(os.path.abspath(filename))
    if ids.get("student") and ids.get("assignment"):
        for step in (coursedir.submitted_directory, coursedir.autograded_directory):
            location = locate(coursedir, step, ids["student"], ids["assignment"])
            if os.path.normpath(location.path) == folder:
                return step, location
    return None, Location(folder, [], [])
