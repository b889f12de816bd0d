"""A local grading worker: ``python -m initgrader.driver.worker [CORE]``, started and fed by :mod:`.pool`.

On its standard input it receives the shared course, then one job at a time;
on its standard output it answers ``("ready",)``, ``("log", level, text)``
and ``("result", Result)`` frames. Anything else written to the standard
output or error (a kernel's chatter, a warning printed by a library) goes to
the standard error, which the coordinator copies into its log.

End of file on the standard input means the coordinator has finished or
died: the worker removes its temporary course and exits at once, even in
the middle of a job.
"""
import logging
import os
import queue
import shutil
import signal
import sys
import threading

from . import channel
from .jobs import Result


class Forward(logging.Handler):
    """Sends log records to the coordinator, which logs them at their level."""

    def __init__(self, writer):
        super().__init__()
        self.writer = writer

    def emit(self, record):
        try:
            self.writer.send(("log", record.levelno, self.format(record)))
        except Exception:
            self.handleError(record)


def _exit_now(*_):
    try:
        # The module may still be importing when the coordinator lets go of this worker.
        workdir = getattr(sys.modules.get(f"{__package__}.grading"), "workdir", None)
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    finally:
        os._exit(1)


def _read_inbox(fd, inbox):
    while True:
        message = channel.receive(fd)
        if message is None:
            # Between jobs this is the normal end; during a job the coordinator is gone.
            _exit_now()
        inbox.put(message)


def _warm_sandbox():
    from ..sandbox import process

    try:
        process.warm()
    except Exception:
        pass  # the first sandbox starts the server itself, and reports what fails


def main():
    if len(sys.argv) > 1:
        # Before any thread starts: threads, the sandboxes' fork server and every sandbox inherit it.
        try:
            os.sched_setaffinity(0, {int(sys.argv[1])})
        except OSError:
            pass  # a placement the environment refuses only costs speed
    # The protocol gets descriptors of its own; 0 and 1 become harmless for everything else.
    protocol_in, protocol_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    # Ctrl-C reaches the whole process group; stopping the workers is the coordinator's decision.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_now)

    writer = channel.Writer(protocol_out)
    inbox = queue.Queue()
    threading.Thread(target=_read_inbox, args=(protocol_in, inbox), daemon=True).start()
    # The sandboxes' fork server imports numpy and IPython while this process imports nbgrader.
    threading.Thread(target=_warm_sandbox, daemon=True).start()
    # Imported only now, so that the coordinator's first write is read at once (see pool.LocalWorkers).
    from . import grading
    course = inbox.get()

    handler = Forward(writer)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.root.handlers = [handler]
    logging.root.setLevel(course.log_level)
    logging.captureWarnings(True)

    grading.preimport(course)
    writer.send(("ready",))
    while True:
        job = inbox.get()
        try:
            result = grading.grade(course, job)
        except Exception as error:
            logging.getLogger("initgrader.worker").exception("grading %s failed", job.student)
            result = Result(job.student, job.digest, ok=False, reason=f"worker: {type(error).__name__}: {error}")
        writer.send(("result", result))


if __name__ == "__main__":
    main()
