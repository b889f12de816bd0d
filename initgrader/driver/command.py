"""``initgrader autograde``: grade every submission of an assignment in parallel.

The coordinator (this process) reads the course, ships one job per changed
submission to the workers, and alone writes the results: gradebook rows
first, then the ``autograded/`` files, then the record that marks the
submission as done. An interrupted run therefore loses nothing that was
written and the next run resumes where it stopped.
"""
import argparse
import os
import sys
import time

from nbgrader.api import Gradebook
from rich.console import Console

from .. import ingest
from . import course, gradebook, pool, store
from .jobs import Course, Job
from .progress import Display


def configure(parser):
    parser.add_argument("assignment", nargs="?", metavar="ASSIGNMENT",
                        help="assignment to grade (default: CourseDirectory.assignment_id from the config)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(),
                        help="local worker processes (default: number of cores)")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="grade on this Dask scheduler's workers instead of locally")
    parser.add_argument("--force", action="store_true",
                        help="regrade submissions even if they have not changed")
    parser.add_argument("--course-dir", default=".", metavar="DIR",
                        help="course root, with nbgrader_config.py (default: current directory)")
    parser.add_argument("--student", action="append", default=[], metavar="ID",
                        help="grade only this student (glob; repeatable; default: all in submitted/)")


def run(args):
    console = Console()
    app = course.load_app(os.path.abspath(args.course_dir))
    coursedir = app.coursedir
    assignment = args.assignment or coursedir.assignment_id
    if not assignment:
        console.print("An assignment must be given, as an argument or as CourseDirectory.assignment_id",
                      style="red")
        return 2
    # The only connection to the course gradebook: workers never open it.
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        if not gradebook.has_assignment(gb, assignment):
            console.print(f"No assignment '{assignment}' in the gradebook: run `nbgrader generate_assignment "
                          f"{assignment}` first", style="red")
            return 1
        return _grade(app, coursedir, gb, assignment, args, console)


def _grade(app, coursedir, gb, assignment, args, console):
    def output_dir(student):
        return coursedir.format_path(coursedir.autograded_directory, student, assignment)

    todo, done = [], {}
    settings = ingest.Ingest(config=app.config)
    for student in course.submissions(coursedir, assignment, args.student):
        store.sweep(os.path.dirname(output_dir(student)))
        # through the ingest boundary: no link followed, no special file opened, bounded in size
        files = ingest.job_files(coursedir, student, assignment, settings)
        digest = course.digest(files)
        record = None if args.force else store.current(output_dir(student), digest)
        if record is None:
            todo.append(Job(student, files, digest))
        else:
            done[student] = record

    started = time.perf_counter()
    with Display(len(todo), console) as display:
        for student, record in done.items():
            display.skipped(student, record)
        interrupted = False
        if todo:
            shared = Course(
                assignment=assignment,
                course_id=coursedir.course_id,
                config=course.pickled_config(app),
                files=course.read_tree(
                    coursedir.root, coursedir.format_path(coursedir.source_directory, ".", assignment)),
                gradebook=gradebook.snapshot(coursedir.db_url),
            )
            if args.scheduler:
                from . import cluster
                results = cluster.grade(shared, todo, args.scheduler)
            else:
                results = pool.grade(shared, todo, max(1, args.workers))
            try:
                for job, outcome in results:
                    _finish(gb, assignment, output_dir(job.student), job, outcome, display)
            except KeyboardInterrupt:
                interrupted = True
                results.close()
    display.summary(time.perf_counter() - started)
    if interrupted:
        return 130
    return 1 if display.counts["failed"] else 0


def _finish(gb, assignment, output_dir, job, outcome, display):
    """Write one outcome; a failure is counted and never stops the batch."""
    if isinstance(outcome, BaseException):
        display.finished(job.student, "failed", reason=f"worker: {type(outcome).__name__}: {outcome}")
        return
    try:
        store.forget(output_dir)
        gradebook.merge(gb, assignment, outcome)
        if not outcome.ok:
            store.remove(output_dir)
            display.finished(job.student, "failed", seconds=outcome.seconds, reason=outcome.reason)
            return
        store.replace(output_dir, outcome.files)
        store.remember(output_dir, outcome.digest, score=outcome.score, max_score=outcome.max_score)
    except Exception as error:
        display.finished(job.student, "failed", reason=f"coordinator: {type(error).__name__}: {error}")
        return
    display.finished(job.student, "graded", outcome.score, outcome.max_score, outcome.seconds)


def main(argv=None):
    """Run without the ``initgrader`` dispatcher (tests, ``python -m``)."""
    parser = argparse.ArgumentParser(prog="initgrader autograde", description=__doc__.splitlines()[0])
    configure(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
