"""The kit's apps run in this process, as nbgrader's own tests run nbgrader's (``run_nbgrader``)."""
import os

from initgrader.apps.baseapp import CourseApp


def run_app(app_class, *argv, cwd):
    """Initialize and start ``app_class`` with ``argv`` in the folder ``cwd``; returns its exit code."""
    previous = os.getcwd()
    os.chdir(cwd)
    app = app_class.instance()
    try:
        app.initialize([str(arg) for arg in argv])
        app.start()
    except SystemExit as exit:
        return exit.code or 0
    finally:
        app.clear_instance()
        os.chdir(previous)
    return 0


def load_course(course, *argv):
    """The course's CourseDirectory, loaded as every nbgrader and kit command in ``course`` loads it."""
    previous = os.getcwd()
    os.chdir(course)
    app = CourseApp.instance()
    try:
        app.initialize([str(arg) for arg in argv])
        return app.coursedir
    finally:
        app.clear_instance()
        os.chdir(previous)
