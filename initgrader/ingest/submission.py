"""One submission through the boundary: what was accepted, what was refused, and why."""
import contextlib
import dataclasses
import fnmatch
import glob
import hashlib
import os
import stat

from nbgrader.utils import find_all_files

from .limits import Limits
from .notebook import Unreadable, parse
from .quarantine import RECORD, QuarantineError, Shelf, digest, record_bytes
from .tree import (TIMESTAMP, WHOLE, Changed, Location, Refusal, Refused, hard_link, listing, locate, open_location,
                   read_regular, shown, walk, what)


@dataclasses.dataclass
class Ingested:
    """A submission as the grader accepted it."""
    files: dict  # relative path -> bytes: single-named regular files only (empty when only checked)
    refused: list  # [Refusal], in the order met
    digest: str  # of the accepted files' paths and contents
    notebooks: list  # names of the top-level notebooks found, accepted or not
    missing: bool = False  # there is no such folder

    @property
    def whole(self):
        """The refusal of the submission as a whole, or None."""
        return next((r for r in self.refused if r.path == WHOLE), None)

    def refusal_of(self, notebook):
        """Why the top-level ``notebook`` (a file name) was refused, or None."""
        return self.whole or next((r for r in self.refused if r.path == notebook), None)

    def other_refusals(self, notebook):
        return [r for r in self.refused if r.path not in (WHOLE, notebook)]


def _ingest(location, root, limits, keep, shelf=None, stand_ins=frozenset(), hard_links=False, grader_files=None):
    """Walk the submission at ``location``; move refusals to ``shelf`` if given; keep contents if ``keep``.

    Empty files named in ``stand_ins`` stand for refused notebooks in a
    worker's copy of the submission: they are not part of the digest.
    """
    opened = open_location(location, root)
    files, refused, notebooks, hashes, stuck = {}, [], [], [], None
    try:
        if opened.missing:
            return Ingested({}, [], digest([]), [], missing=True)
        if opened.refusal is None:
            with contextlib.closing(walk(opened.fd, limits, hard_links, grader_files)) as items:
                for item in items:
                    path = item.refusal.path if isinstance(item, Refused) else item.path
                    if os.sep not in path and path.endswith(".ipynb"):
                        notebooks.append(path)
                    if not isinstance(item, Refused):
                        if not (item.path in stand_ins and not item.data):
                            hashes.append((item.path, hashlib.sha256(item.data).digest()))
                        if keep:
                            files[item.path] = item.data
                        continue
                    if item.refusal.path == WHOLE:
                        refused = [item.refusal]
                        break
                    if not shelf:
                        refused.append(item.refusal)
                        continue
                    try:
                        refused.append(shelf.move(item.parent_fd, item.name, item.refusal))
                    except QuarantineError as error:
                        # e.g. a folder the grader may not write (mode 0000, or 0555 around a link): nbgrader
                        # copies the submission into autograded/ following links, so none of it may stay
                        stuck = item.refusal, error
                        refused.append(Refusal(WHOLE, "unmovable", f"{item.refusal.reason}, and {error}, so the "
                                                                   "whole submission was set aside"))
                        break
        else:
            refused = [opened.refusal]
        whole = next((r for r in refused if r.path == WHOLE), None)
        if whole is not None:
            if shelf:
                try:
                    moved = shelf.move(opened.parent_fd, opened.name, whole, whole_name=opened.name)
                except QuarantineError as error:
                    if stuck is None:
                        raise
                    raise QuarantineError(f"{stuck[1]}, nor the submission as a whole: {error}") from error
                refused = [r for r in refused if r is not whole]
                if stuck is not None:
                    refused.append(dataclasses.replace(stuck[0], moved_to=os.path.join(moved.moved_to,
                                                                                       stuck[0].path)))
                refused.append(moved)
                if location.labels[opened.index] == "student folder":
                    # the class list in submitted/ stays as it was; nbgrader finds nothing to grade in it
                    os.mkdir(opened.name, 0o755, dir_fd=opened.parent_fd)
            return Ingested({}, refused, digest([]), [])
        return Ingested(files, refused, digest(hashes), notebooks)
    finally:
        opened.close()


def read_submission(path, limits=None, *, trusted=None, hard_links=False):
    """Read the submission folder ``path`` through the boundary, changing nothing.

    ``trusted`` is the leading part of ``path`` that the course controls and
    may contain links (default: the folder holding the student folders, i.e.
    ``path`` less its last two parts, as in nbgrader's default layout); every
    part after it is opened without following links. Returns ``Ingested`` with
    the accepted files' contents: at most ``limits.max_bytes`` in all.
    ``hard_links=True`` accepts them, for a folder the course owns (source/).
    """
    limits = limits or Limits()
    path = os.path.abspath(path)
    trusted = os.path.abspath(trusted) if trusted else os.path.dirname(os.path.dirname(path))
    parts = os.path.relpath(path, trusted).split(os.sep)
    if os.pardir in parts or os.path.isabs(os.path.relpath(path, trusted)):
        raise ValueError(f"{path} is not inside {trusted}")
    labels = ["student folder", "assignment folder"] if len(parts) == 2 else ["folder"] * len(parts)
    return _ingest(Location(trusted, parts, labels), os.path.dirname(trusted), limits, keep=True,
                   hard_links=hard_links)


def admit(coursedir, student, assignment, settings):
    """Make ``student``'s submission of ``assignment`` safe for nbgrader to read, before it reads it.

    Refused objects are moved to the quarantine and recorded; a submission
    already admitted keeps the reasons of its recorded refusals while its
    accepted files are unchanged. Returns ``Ingested`` without contents.
    A refused object that cannot be moved (in a folder the grader may not
    write) sets the submission aside as a whole, which is then graded as
    missing. Raises ``QuarantineError`` (or ``OSError``) if that cannot be
    moved either: then nbgrader must not read the submission. ``settings`` is the
    run's ``Ingest`` (``Ingest(config=…)``).
    """
    location = locate(coursedir, coursedir.submitted_directory, student, assignment)
    shelf = Shelf(coursedir, settings.quarantine_directory, student, assignment)
    record = shelf.load()
    stand_ins = record[2] if record else frozenset()
    got = _ingest(location, coursedir.root, settings.limits(), keep=False, shelf=shelf, stand_ins=stand_ins,
                  grader_files=grader_files(coursedir, assignment))
    refused, current = _recorded(record, got)
    if got.refused:
        shelf.save(record_bytes(got.digest, refused, stand_ins if current else ()))
    return dataclasses.replace(got, refused=refused)


def _recorded(record, got):
    """(refusals, whether ``record`` is current): the record's count while the accepted files are unchanged."""
    if record is None or record[0] != got.digest:
        return got.refused, False
    new = {(r.path, r.kind) for r in got.refused}
    return [r for r in record[1] if (r.path, r.kind) not in new] + got.refused, True


def _source(coursedir, assignment):
    return coursedir.format_path(coursedir.source_directory, ".", assignment)


def _source_notebooks(source):
    return sorted(os.path.basename(path) for path in glob.glob(os.path.join(glob.escape(source), "*.ipynb")))


def expected_notebooks(coursedir, assignment):
    """The names of the source's notebooks (what nbgrader grades as missing when absent)."""
    pattern = coursedir.notebook_id + ".ipynb"
    return [name for name in _source_notebooks(_source(coursedir, assignment)) if fnmatch.fnmatchcase(name, pattern)]


def grader_files(coursedir, assignment):
    """{path in a student's folder: what it is}: every file the pipeline puts, or reads, at that path.

    ``nbgrader autograde`` copies the source's other files over the
    submission's in autograded/ (as ``Autograde.init_assignment`` finds them)
    and writes each graded notebook there; ``generate_feedback`` copies that
    folder to feedback/ and writes ``<notebook>.html`` beside it; both read
    timestamp.txt. A folder at any of these paths makes nbgrader's copy or
    write fail on that student, outside any step that could grade it.
    """
    source = _source(coursedir, assignment)
    paths = {TIMESTAMP: "the submission time"}
    for path in find_all_files(source, coursedir.ignore + ["*.ipynb"]):
        paths[os.path.relpath(path, source)] = "the course's own copy of it"
    for name in _source_notebooks(source):
        paths[name] = "the graded notebook"
        paths[os.path.splitext(name)[0] + ".html"] = "the feedback"
    return paths


def job_files(coursedir, student, assignment, settings):
    """A submission as the files of a grading job: {path relative to the course root: bytes}.

    Holds the accepted files and, if anything was refused, what lets a
    worker that recreates these files in a temporary course grade the
    submission as nbgrader grades the original: the record of refusals (in
    that course's quarantine) and an empty stand-in for each refused
    notebook, so that nbgrader finds the notebook and the exporter reports
    it refused. Changes nothing in the course.
    """
    location = locate(coursedir, coursedir.submitted_directory, student, assignment)
    shelf = Shelf(coursedir, settings.quarantine_directory, student, assignment)
    got = _ingest(location, coursedir.root, settings.limits(), keep=True,
                  grader_files=grader_files(coursedir, assignment))
    # what an earlier nbgrader run moved out of this same submission still counts, as it would there
    refused, _ = _recorded(shelf.load(), got)
    prefix = os.path.relpath(location.path, coursedir.root)
    files = {os.path.join(prefix, path): data for path, data in got.files.items()}
    if refused:
        whole = any(r.path == WHOLE for r in refused)
        stand_ins = {r.path for r in refused if os.sep not in r.path and r.path.endswith(".ipynb")}
        if whole or not any(os.sep not in path and path.endswith(".ipynb") for path in got.files):
            stand_ins.update(expected_notebooks(coursedir, assignment))
        stand_ins -= set(got.files)
        files.update({os.path.join(prefix, name): b"" for name in stand_ins})
        files[os.path.join(shelf.shown(), RECORD)] = record_bytes(got.digest, refused, stand_ins)
    return files


def read_notebook(location, root, name, limits, grader_written=False):
    """(NotebookNode, notes) for the notebook ``name`` in ``location``'s folder, or ``Unreadable``.

    The folder is opened as ``read_submission`` opens it; the notebook must be a
    single-named regular file within ``limits.max_notebook_bytes``.
    """
    opened = open_location(location, root)
    try:
        if opened.refusal is not None:
            raise Unreadable(opened.refusal.reason)
        if opened.missing:
            raise Unreadable(f"no notebook named {shown(name)} was submitted")
        try:
            st = os.stat(name, dir_fd=opened.fd, follow_symlinks=False)
        except FileNotFoundError:
            found = sorted(entry for entry in (listing(opened.fd, 1000) or []) if entry.endswith(".ipynb"))
            hint = f" (found: {', '.join(map(shown, found[:10]))}; rename it and resubmit)" if found else ""
            raise Unreadable(f"no notebook named {shown(name)} was submitted{hint}") from None
        if stat.S_ISDIR(st.st_mode):
            raise Unreadable(f"{shown(name)} is a folder, not a notebook")
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable(f"{shown(name)} {what(st)[1]}")
        if st.st_nlink > 1:
            raise Unreadable(f"{shown(name)} {hard_link(st.st_nlink)}")
        if st.st_size > limits.max_notebook_bytes:
            raise Unreadable(f"the notebook is {st.st_size / 1024**2:.0f} MB, over the "
                             f"{limits.max_notebook_bytes / 1024**2:.0f} MB limit")
        try:
            data = read_regular(opened.fd, name, st, limits.max_notebook_bytes)
        except (OSError, Changed) as error:
            raise Unreadable(f"{shown(name)} could not be read ({error})") from None
    finally:
        opened.close()
    return parse(data, limits, grader_written)


def write_files(top, files):
    """Recreate ``files`` ({relative path: bytes}, from ``read_submission``) under the grader's own folder
    ``top`` as regular files: never through a link, never over something already there."""
    for path, data in files.items():
        parts = path.split(os.sep)
        if not parts or any(part in ("", os.curdir, os.pardir) for part in parts):
            raise ValueError(f"{shown(path)} is not a relative path")
        fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            for part in parts[:-1]:
                try:
                    os.mkdir(part, 0o755, dir_fd=fd)
                except FileExistsError:
                    pass
                child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
                os.close(fd)
                fd = child
            out = os.open(parts[-1], os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644,
                          dir_fd=fd)
            with os.fdopen(out, "wb") as handle:
                handle.write(data)
        finally:
            os.close(fd)
