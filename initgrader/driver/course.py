"""What every job of a run shares: the course's configuration, source files and gradebook, as data."""
import copy
import fnmatch
import os
import warnings

import cloudpickle

from .. import ingest
from ..plugins.check_inputs import course_secret
from . import gradebook
from .jobs import Course

SOURCE_LIMITS = ingest.Limits(max_depth=32, max_files=10000, max_bytes=4 * 1024**3,
                              max_notebook_bytes=1024**3)


def worker_config(config, coursedir):
    """The configuration workers grade with: the course's, as the coordinator's app loaded it.

    Workers never see the course directory, so a value that only the
    coordinator can compute from it (the course secret from which
    per-submission check inputs are derived) joins the config here.
    """
    config = copy.deepcopy(config)
    config.CheckInputs.secret = course_secret(coursedir)
    # By value where needed: hooks defined inside nbgrader_config.py are not importable on the workers.
    return cloudpickle.dumps(config)


def read_source(coursedir, assignment, log):
    """The assignment's source files, by path relative to the course root.

    Workers recreate regular files only, so a link or special file in the
    source folder is left out, with a warning.
    """
    top = coursedir.format_path(coursedir.source_directory, ".", assignment)
    if not os.path.isdir(top):
        return {}
    found = ingest.read_submission(top, SOURCE_LIMITS, trusted=os.path.dirname(top), hard_links=True)
    for refusal in found.refused:
        log.warning("In %s, %s: it is not given to the workers; replace it with a copy", top, refusal.reason)
    return {os.path.relpath(os.path.join(top, relpath), coursedir.root): data
            for relpath, data in found.files.items()
            if not any(fnmatch.fnmatch(part, pattern) for part in relpath.split(os.sep) for pattern in coursedir.ignore)}


def shared_course(config, coursedir, assignment, log_level, log):
    return Course(
        assignment=assignment,
        course_id=coursedir.course_id,
        config=worker_config(config, coursedir),
        files=read_source(coursedir, assignment, log),
        gradebook=gradebook.snapshot(coursedir.db_url),
        log_level=log_level,
        # nbgrader_config.py may silence warnings (the kit's does, for nbgrader's SQLAlchemy ones); it runs
        # here, not on the workers.
        warning_filters=cloudpickle.dumps(list(warnings.filters)),
    )
