"""Find the course configuration of the nbgrader run that a plugin or hook is part of.

nbgrader hands its hooks no configuration, and a bare ``CourseDirectory()``
knows nothing of a course that renames ``source/`` or ``submitted/``. Every
Autograde run, whether ``nbgrader autograde``, the formgrader's button or a
grading worker's ``Autograde(coursedir=…, config=…)``, builds its exporter
with the converter as parent; ``SafeNotebookExporter`` records that converter
here, and preprocessors reach it through their own parents.
"""
import os
import threading
import weakref

from nbgrader.coursedir import CourseDirectory

_running = threading.local()


def enter(converter, exporter):
    """Record the converter and exporter of the Autograde run starting in this thread."""
    _running.run = (weakref.ref(converter), weakref.ref(exporter))


def running(notebooks=None):
    """(converter, exporter) of this thread's run, or None; if ``notebooks`` is given, only the run that owns
    that list (nbgrader passes its own ``converter.notebooks`` to hooks)."""
    run = getattr(_running, "run", None)
    converter, exporter = (run[0](), run[1]()) if run else (None, None)
    if converter is None or exporter is None:
        return None
    if notebooks is not None and getattr(converter, "notebooks", None) is not notebooks:
        return None
    return converter, exporter


def course_of(configurable=None, notebooks=None):
    """(CourseDirectory, Config) of the run ``configurable`` (a preprocessor, an exporter) or a hook belongs to.

    The Config is the run's own: a CourseDirectory's copy may predate the
    course's nbgrader_config.py.
    """
    node = configurable
    while node is not None:
        coursedir = getattr(node, "coursedir", None)
        if isinstance(coursedir, CourseDirectory):
            return coursedir, node.config
        node = getattr(node, "parent", None)
    run = running(notebooks)
    if run is not None:
        return run[0].coursedir, run[0].config
    from nbgrader.apps.autogradeapp import AutogradeApp
    if AutogradeApp.initialized() and AutogradeApp.instance().coursedir is not None:
        app = AutogradeApp.instance()
    else:
        app = load_app(os.getcwd())
    return app.coursedir, app.config


def load_app(root):
    """An AutogradeApp configured as ``nbgrader autograde`` run in ``root`` would be: same files, same order."""
    from nbgrader.apps.autogradeapp import AutogradeApp

    previous = os.getcwd()
    os.chdir(root)
    try:
        app = AutogradeApp()
        app.initialize([], root=os.path.abspath(root))
    finally:
        os.chdir(previous)
    return app
