"""The coordinator: streams submissions to the workers and alone writes what comes back.

For each result it writes the gradebook rows first, then the ``autograded/``
files, then the record that marks the submission as done; an interrupted run
therefore loses nothing that was written, and the next run resumes where it
stopped. Submissions are read one at a time, as workers become free.
"""
import os

from .. import ingest
from ..plugins.sanitize import unsafe_student_id
from . import gradebook, store, submissions
from .jobs import Failed, Job


def ingest_submission(coursedir, assignment, student, settings):
    """One student's submission as a job: the driver's only read of submitted files.

    It goes through the ingest boundary, as ``nbgrader autograde`` reads it
    through the course's pre-convert hook; what was refused travels with the
    job as the boundary's own record, so the worker's nbgrader reports it alike.
    """
    files = ingest.job_files(coursedir, student, assignment, settings)
    return Job(student, files, submissions.digest(files))


class Coordinator:
    """One run of ``initgrader autograde`` over the submissions of ``assignment``."""

    def __init__(self, coursedir, assignment, display, stages, log, force=False):
        self.coursedir, self.assignment = coursedir, assignment
        self.settings = ingest.Ingest(config=coursedir.config)
        self.display, self.stages, self.log = display, stages, log
        self.force = force

    def output_dir(self, student):
        return self.coursedir.format_path(self.coursedir.autograded_directory, student, self.assignment)

    def jobs(self, students):
        """The submissions that need grading, read lazily; unchanged ones are reported as skipped."""
        for student in students:
            unsafe = unsafe_student_id(student)
            if unsafe:
                self.display.finished(student, "failed", reason=f"not graded: {unsafe}")
                continue
            output_dir = self.output_dir(student)
            store.sweep(os.path.dirname(output_dir))
            try:
                with self.stages("coordinator/read submission"):
                    job = ingest_submission(self.coursedir, self.assignment, student, self.settings)
            except OSError as error:
                self.display.finished(student, "failed", reason=f"coordinator: could not read it: {error}")
                continue
            record = None if self.force else store.current(output_dir, job.digest)
            if record is None:
                yield job
            else:
                self.display.skipped(student, record)

    def write(self, gb, job, outcome):
        """Write one outcome; a failure is counted and never stops the batch."""
        output_dir = self.output_dir(job.student)
        if isinstance(outcome, Failed):
            self.display.finished(job.student, "failed", reason=outcome.reason)
            return
        self.stages.update(outcome.stages)
        try:
            with self.stages("coordinator/write gradebook"):
                store.forget(output_dir)
                gradebook.merge(gb, self.assignment, outcome)
            if not outcome.ok:
                store.remove(output_dir)
                self.display.finished(job.student, "failed", seconds=outcome.seconds, reason=outcome.reason)
                return
            with self.stages("coordinator/write files"):
                store.replace(output_dir, outcome.files)
                store.remember(output_dir, outcome.digest, score=outcome.score, max_score=outcome.max_score)
        except Exception as error:
            self.log.exception("%s: writing the result failed", job.student)
            self.display.finished(job.student, "failed", reason=f"coordinator: {type(error).__name__}: {error}")
            return
        self.display.finished(job.student, "graded", outcome.score, outcome.max_score, outcome.seconds)

    def run(self, gb, workers, course, students):
        """Grade ``students`` on ``workers`` with the shared ``course``; returns False if interrupted (Ctrl-C)."""
        results = workers.grade(course, self.jobs(students))
        try:
            for job, outcome in results:
                self.write(gb, job, outcome)
        except KeyboardInterrupt:
            results.close()
            return False
        return True
