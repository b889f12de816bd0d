"""The submission-ingest boundary: what of a submission the grader reads, and how.

A submission is untrusted code and untrusted files: whatever is in
``submitted/<student>/<assignment>/`` got there through an LMS archive, the
exchange or a script, before any kit code runs. Everything that reads it goes
through this package, which accepts single-named regular files only:

- no symbolic link anywhere from the student folder down (the student and
  assignment folders themselves included), no hard link (``st_nlink > 1``),
  no FIFO, socket or device. Names are resolved relative to open folders with
  ``O_NOFOLLOW | O_NONBLOCK`` and typed by ``lstat``: nothing is followed,
  nothing blocks, nothing recurses;
- at most ``max_depth`` nested folders, ``max_files`` entries and ``max_bytes``
  of content (``c.Ingest.*``; 8, 500 and 100 MB by default);
- a timestamp.txt that nbgrader can parse, or none;
- a regular file, or nothing, wherever the grader puts a file of its own
  (``grader_files``: the source's files, the graded notebooks, their
  feedback, timestamp.txt), and a folder, or nothing, where it needs one;
- notebooks measured before they are parsed (``max_notebook_bytes``, JSON
  nesting and value counts) and rebuilt field by field into a well-formed
  ``NotebookNode``.

Anything refused is graded as missing: each refusal (``Refusal``: path,
kind, reason, where it went) reaches the autograded notebook's
``metadata.initgrader.refused``, with a sentence in ``reasons``.

Entry points:

``read_submission(path, limits=None, *, trusted=None, hard_links=False) -> Ingested``
    For the parallel driver's coordinator: read one submission, change
    nothing, hold at most ``limits.max_bytes`` (``Ingest(config=app.config)
    .limits()``) of it in memory. ``Ingested.files`` maps each accepted file's
    path (relative to the submission folder) to its bytes; ``Ingested.refused``
    lists ``Refusal`` objects (``path`` "." is the submission as a whole);
    ``Ingested.digest`` identifies the accepted content; ``Ingested.missing``
    says there is no such folder. ``trusted`` is the leading part of ``path``
    the course controls and may link elsewhere (default: ``path`` less its
    last two parts, nbgrader's default layout); ``locate(coursedir, step,
    student, assignment)`` splits any layout. A worker recreates only
    ``files``, as regular files: ``write_files(folder, files)``.

``job_files(coursedir, student, assignment, settings) -> {course path: bytes}``
    One submission shaped as a grading job's files, built on the above:
    accepted files, plus, when something was refused (now, or moved out by
    an earlier nbgrader run of the same submission), the refusal record in
    the job course's quarantine and an empty stand-in per refused notebook,
    so that a worker's nbgrader run on those files grades the submission as
    a run on the course does, reasons included. Changes nothing.

``admit(coursedir, student, assignment, settings) -> Ingested``
    For nbgrader's own runs (``SafeNotebookExporter`` calls it for every
    submission an Autograde run is about to read, before nbgrader reads any):
    moves refused objects, by renaming, to
    ``<Ingest.quarantine_directory>/<student>/<assignment>/<time>/`` and
    records why; the whole submission, if one of them cannot be moved.

``notebook.parse(data, limits, grader_written=False) -> (NotebookNode, notes)``
    A notebook's bytes through the same bounds, for any other reader.
"""
from .limits import Ingest, Limits
from .notebook import Unreadable
from .quarantine import QuarantineError
from .submission import (Ingested, admit, expected_notebooks, grader_files, job_files, read_notebook,
                         read_submission, write_files)
from .tree import Location, Refusal, locate

__all__ = ["Ingest", "Ingested", "Limits", "Location", "QuarantineError", "Refusal", "Unreadable", "admit",
           "expected_notebooks", "grader_files", "job_files", "locate", "read_notebook", "read_submission",
           "write_files"]
