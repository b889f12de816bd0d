"""The base of the kit's apps: nbgrader's ``NbGrader``, so a course is loaded exactly as nbgrader loads it.

``nbgrader_config.py`` in the working directory and in ``--course-dir``, the
Jupyter config paths (``~/.jupyter``, the environment's and the system's) and
command-line overrides such as ``--SandboxedExecute.cell_timeout=5`` or
``--CourseDirectory.db_url=...`` all apply, in nbgrader's order; the result
is ``self.coursedir`` and ``self.config``.
"""
from traitlets import default

from nbgrader.apps.baseapp import NbGrader, nbgrader_aliases, nbgrader_flags

aliases = dict(nbgrader_aliases, course="CourseDirectory.course_id")
flags = dict(nbgrader_flags)


class CourseApp(NbGrader):
    """An app that works on one assignment of the course."""

    aliases = aliases
    flags = flags

    @default("classes")
    def _classes_default(self):
        return super()._classes_default() + [type(self)]

    def resolve_assignment(self):
        """The assignment id, from the one argument or ``CourseDirectory.assignment_id``, as ``nbgrader autograde`` takes it."""
        if len(self.extra_args) > 1:
            self.fail("Only one argument (the assignment id) may be specified")
        elif len(self.extra_args) == 1 and self.coursedir.assignment_id != "":
            self.fail("The assignment cannot both be specified in config and as an argument")
        elif len(self.extra_args) == 0 and self.coursedir.assignment_id == "":
            self.fail("An assignment id must be specified, either as an argument or with --assignment")
        elif len(self.extra_args) == 1:
            self.coursedir.assignment_id = self.extra_args[0]
        return self.coursedir.assignment_id
