"""The submissions of an assignment: who submitted, and a fingerprint of what they submitted."""
import fnmatch
import glob
import hashlib
import os
import re


def digest(files):
    """A fingerprint of a job's files (the refusals' record among them): names and contents."""
    h = hashlib.sha256()
    for relpath in sorted(files, key=os.fsencode):
        # a file name need not be UTF-8
        h.update(os.fsencode(relpath) + b"\0" + hashlib.sha256(files[relpath]).digest())
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
