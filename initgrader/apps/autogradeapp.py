"""``initgrader autograde``: every submission of an assignment, graded in parallel.

The same grades and ``autograded/`` files as ``nbgrader autograde`` with the
course's config: each worker runs nbgrader's own ``Autograde`` converter on a
private copy of one submission, and this process alone writes the results.
"""
import json
import logging
import sys
import time

from rich.console import Console
from traitlets import Bool, Float, Integer, Unicode, default

from nbgrader.api import Gradebook
from nbgrader.converters import Autograde, BaseConverter

from .baseapp import CourseApp, aliases, flags


class ParallelAutogradeApp(CourseApp):

    name = "initgrader-autograde"
    description = "Autograde every submission of an assignment in parallel, with the course's pipeline"

    aliases = dict(
        aliases,
        workers="ParallelAutogradeApp.workers",
        scheduler="ParallelAutogradeApp.scheduler",
        **{"timings-file": "ParallelAutogradeApp.timings_file"},
    )
    flags = dict(
        flags,
        force=({"BaseConverter": {"force": True}}, "Regrade every submission, changed or not."),
        f=({"BaseConverter": {"force": True}}, "Regrade every submission, changed or not."),
    )

    workers = Integer(help="Local worker processes (default: the number of cores this process may use).").tag(
        config=True)

    @default("workers")
    def _workers_default(self):
        from initgrader.driver.pool import usable_cores

        return len(usable_cores())

    pin_workers = Bool(
        True,
        help="When there are exactly as many local workers as usable cores, run each worker and its sandboxes "
             "on a core of its own. A worker and its sandbox take turns, each waiting for the other, so on one "
             "core they share its caches and wake each other without crossing cores.",
    ).tag(config=True)

    scheduler = Unicode(
        "", help="Grade on the workers of this Dask scheduler (tcp://HOST:8786) instead of local ones."
    ).tag(config=True)

    job_timeout = Float(
        1800.0,
        help="Seconds a local worker may spend on one submission; then it is stopped, and the job is "
             "given once more to a fresh worker. 0 for no limit.",
    ).tag(config=True)

    timings_file = Unicode("", help="Write the seconds spent in each stage of grading to this JSON file.").tag(
        config=True)

    @default("log_level")
    def _log_level_default(self):
        # The progress bar and the summary say what nbgrader's INFO messages would, per submission.
        return logging.WARNING

    @default("classes")
    def _classes_default(self):
        # The kit's plugins too, so that --help-all documents the options its nbgrader_config.py sets.
        from initgrader.plugins.checkmetadata import CompiledCheckCellMetadata
        from initgrader.plugins.execute import SandboxedExecute
        from initgrader.plugins.exporter import SafeNotebookExporter
        from initgrader.plugins.rebuild import RebuildFromSource

        return super()._classes_default() + [BaseConverter, Autograde, SafeNotebookExporter, RebuildFromSource,
                                             SandboxedExecute, CompiledCheckCellMetadata]

    examples = """
        Grade every submission in submitted/*/ps1/ on 4 local processes:

            initgrader autograde ps1 --workers 4

        Unchanged submissions graded by an earlier run are skipped; --force
        regrades them. --student takes a glob, as in nbgrader. On a Dask cluster:

            initgrader autograde ps1 --scheduler tcp://HOST:8786
        """

    def start(self):
        super().start()
        from initgrader.driver import gradebook, submissions
        from initgrader.driver.coordinator import Coordinator
        from initgrader.driver.course import shared_course
        from initgrader.driver.pool import LocalWorkers, WorkersUnavailable, pinned_cores
        from initgrader.driver.progress import Display
        from initgrader.driver.stages import Stages

        assignment = self.resolve_assignment()
        coursedir = self.coursedir
        if coursedir.notebook_id != "*":
            self.fail("initgrader autograde grades whole submissions; --notebook is for nbgrader autograde")
        started = time.perf_counter()
        stages = Stages()
        # Piped output (CI logs, | tee) would otherwise be cut to 80 columns.
        console = Console() if Console().is_terminal else Console(width=160)
        if self.scheduler:
            from initgrader.driver.cluster import DaskWorkers
            engine = DaskWorkers(self.scheduler, self.log)
        else:
            engine = LocalWorkers(max(1, self.workers), self.log, self.job_timeout,
                                  cores=pinned_cores(self.workers, self.pin_workers))
        # Workers start first, to import nbgrader while the course is read. This process is
        # the only one that opens the course gradebook.
        with engine, Gradebook(coursedir.db_url, coursedir.course_id) as gb:
            if not gradebook.has_assignment(gb, assignment):
                self.fail("No assignment '%s' in the gradebook: run `nbgrader generate_assignment %s` first",
                          assignment, assignment)
            students = submissions.students(coursedir, assignment)
            with stages("coordinator/prepare"):
                course = shared_course(self.config, coursedir, assignment, self.log_level, self.log)
            # Read as nbgrader's converter reads it: the flag and the config may name any of its classes.
            force = Autograde(coursedir=coursedir, parent=self).force
            with Display(len(students), console, self.log) as display:
                coordinator = Coordinator(coursedir, assignment, display, stages, self.log, force)
                try:
                    finished, broken = coordinator.run(gb, engine, course, students), None
                except WorkersUnavailable as error:
                    finished, broken = True, error
        elapsed = time.perf_counter() - started
        display.summary(elapsed)
        if self.timings_file:
            self.write_timings(elapsed, display, stages, getattr(engine, "ready_after", None))
        if broken:
            self.fail("%s", broken)
        if not finished:
            sys.exit(130)
        if display.counts["failed"]:
            sys.exit(1)

    def write_timings(self, elapsed, display, stages, ready_after):
        with open(self.timings_file, "w") as f:
            json.dump({"seconds": elapsed, "workers": self.workers, "submissions": display.total,
                       "graded": display.counts["graded"], "workers_ready_after": ready_after or 0.0,
                       "stages": stages.seconds}, f, indent=1)
