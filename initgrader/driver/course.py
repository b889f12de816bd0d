"""What every job of a run shares, read once by the coordinator: the config, the source files, the gradebook."""
import os
import warnings

import cloudpickle

from . import gradebook
from .files import Limits, read_regular_files
from .jobs import Course

SOURCE_LIMITS = Limits(max_file_bytes=1024**3, max_total_bytes=4 * 1024**3, max_files=10000)


def worker_config(config):
    """The configuration workers grade with: the course's, as the coordinator's app loaded it.

    Workers never see the course directory, so a value that only the
    coordinator can compute from it (the course secret from which
    per-submission check inputs are derived) joins the config here.
    """
    # By value where needed: hooks defined inside nbgrader_config.py are not importable on the workers.
    return cloudpickle.dumps(config)


def read_source(coursedir, assignment, log):
    """The assignment's source files, by path relative to the course root.

    Workers recreate regular files only, so a symbolic link in the source
    folder is left out, with a warning.
    """
    top = coursedir.format_path(coursedir.source_directory, ".", assignment)
    found = read_regular_files(top, SOURCE_LIMITS, coursedir.ignore)
    for relpath, reason in found.refused:
        log.warning("%s/%s is not given to the workers: %s; replace it with a copy", top, relpath, reason)
    return {os.path.relpath(os.path.join(top, relpath), coursedir.root): data
            for relpath, data in found.files.items()}


def shared_course(config, coursedir, assignment, log_level, log):
    return Course(
        assignment=assignment,
        course_id=coursedir.course_id,
        config=worker_config(config),
        files=read_source(coursedir, assignment, log),
        gradebook=gradebook.snapshot(coursedir.db_url),
        log_level=log_level,
        # nbgrader_config.py may silence warnings (the kit's does, for nbgrader's SQLAlchemy ones); it runs
        # here, not on the workers.
        warning_filters=cloudpickle.dumps(list(warnings.filters)),
    )
