"""The course as ``nbgrader autograde`` sees it: config, paths and submissions."""
import fnmatch
import glob
import hashlib
import os
import re

import cloudpickle

from nbgrader.apps.autogradeapp import AutogradeApp


def load_app(course_dir):
    """An initialized AutogradeApp, so config is found and merged exactly as
    ``cd COURSE_DIR && nbgrader autograde`` would (jupyter paths, cwd, course root)."""
    previous = os.getcwd()
    os.chdir(course_dir)
    try:
        app = AutogradeApp()
        app.initialize([], root=os.path.abspath(course_dir))
    finally:
        os.chdir(previous)
    return app


def pickled_config(app):
    # By value where needed: hooks defined inside nbgrader_config.py are not
    # importable on the workers.
    return cloudpickle.dumps(app.config)


MAX_FILE_BYTES = 100 * 1024**2


def read_tree(root, top):
    """Files under ``top``, keyed by their path relative to the course root.

    A regular file maps to its bytes; a symbolic link to its target, as text.
    A link is never followed here, where the grader can read everything: the
    worker recreates it as a link, and the course's protections treat it there
    exactly as a sequential `nbgrader autograde` would.
    """
    files = {}
    for dirpath, _, filenames in os.walk(top):
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                files[os.path.relpath(path, root)] = os.readlink(path)
            elif os.path.isfile(path) and os.path.getsize(path) <= MAX_FILE_BYTES:
                with open(path, "rb") as f:
                    files[os.path.relpath(path, root)] = f.read()
    return files


def digest(files):
    h = hashlib.sha256()
    for relpath in sorted(files):
        h.update(os.fsencode(relpath) + b"\0")  # a file name need not be UTF-8
        data = files[relpath]
        h.update(hashlib.sha256(data.encode() if isinstance(data, str) else data).digest())
    return h.hexdigest()


def submissions(coursedir, assignment, patterns=()):
    """Students with a submission of ``assignment``, honouring ``student_id_exclude``."""
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
        if student in excluded:
            continue
        if patterns and not any(fnmatch.fnmatchcase(student, p) for p in patterns):
            continue
        found.append(student)
    return found
