"""The submissions of an assignment: who submitted, and a fingerprint of what they submitted."""
import fnmatch
import glob
import hashlib
import os
import re


def digest(ingested):
    """A fingerprint of the submission: its file names and contents, and what was refused."""
    h = hashlib.sha256()
    for relpath in sorted(ingested.files):
        h.update(relpath.encode() + b"\0" + hashlib.sha256(ingested.files[relpath]).digest())
    for relpath, reason in sorted(ingested.refused):
        h.update(b"refused\0" + relpath.encode() + b"\0" + reason.encode())
    return h.hexdigest()


def students(coursedir, assignment):
    """Students with a submission of ``assignment``, as ``nbgrader autograde`` selects them.

    ``CourseDirectory.student_id`` (``--student``) is a glob, as in nbgrader;
    ``student_id_exclude`` is honoured.
    """
    pattern = coursedir.format_path(coursedir.submitted_directory, "*", assignment)
    regexp = coursedir.format_path(
        coursedir.submitted_directory, "(?P<student_id>[^/]+)", re.escape(assignment), escape=True)
    excluded = set(filter(None, coursedir.student_id_exclude.split(",")))
    found = []
    for path in sorted(glob.glob(pattern)):
        if not os.path.isdir(path):
            continue
        match = re.fullmatch(regexp, path)
        if match is None:
            continue
        student = match.group("student_id")
        if student in excluded or not fnmatch.fnmatchcase(student, coursedir.student_id or "*"):
            continue
        found.append(student)
    return found
