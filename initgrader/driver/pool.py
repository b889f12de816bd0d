"""Local grading workers that survive one another.

Each worker is a ``python -m initgrader.driver.worker`` process (see
:mod:`.worker`) that grades one submission at a time. A job is drawn from
the coordinator's stream only when a worker is free for it (one is read
ahead), so no more submissions are in memory than there are workers, plus one.

A worker that dies (killed, out of memory, a crashed interpreter, or past
``job_timeout``) costs only the job it held: that job goes once more to a
freshly started worker, and if that one dies too, the job is reported as
failed with both reasons. The other workers never notice.
"""
import collections
import fcntl
import itertools
import os
import selectors
import signal
import subprocess
import sys
import time

from . import channel
from .jobs import Failed

RETRIES = 1
START_ATTEMPTS = 3
"""Workers in a row that die before they are ready: then the environment is broken, not a submission."""


def usable_cores():
    """The CPUs this process may run on (a container's cpuset, taskset), in order."""
    if hasattr(os, "sched_getaffinity"):
        return sorted(os.sched_getaffinity(0))
    return list(range(os.cpu_count() or 1))


def pinned_cores(workers, pin=True):
    """One core per worker, if pinning is asked for and the workers are as many as the usable cores; else None.

    With fewer workers, the scheduler places them among the free cores; with more, they share cores anyway.
    """
    cores = usable_cores()
    return cores if pin and workers == len(cores) > 1 else None


class WorkersUnavailable(RuntimeError):
    """No worker could be started; the message says what the last one printed."""


COMMAND = [sys.executable, "-m", "initgrader.driver.worker"]
BLAS_THREADS = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
MALLOC_REUSE = {"MALLOC_MMAP_THRESHOLD_": str(256 * 1024**2), "MALLOC_TRIM_THRESHOLD_": str(1024**3)}
PIPE_BYTES = 1024**2


class _Worker:
    def __init__(self, number, command, env, core=None):
        self.number = number
        self.core = core
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            command if core is None else [*command, str(core)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.writer = channel.Writer(self.process.stdin.fileno())
        self.reader = channel.Reader()
        self.ready = False
        self.task = None  # (job, attempt, earlier reason) being graded
        self.reserved = None  # a retry waiting for this fresh worker
        self.deadline = None
        self.timed_out = False
        self.retired = False
        self.stderr_tail = collections.deque(maxlen=20)
        self.partial = b""
        for stream in (self.process.stdout, self.process.stderr):
            os.set_blocking(stream.fileno(), False)
        # Room for a whole result, so a worker hands it over and moves on while the coordinator is
        # busy writing another one (Linux; elsewhere the default size does, a little slower).
        try:
            fcntl.fcntl(self.process.stdout.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        except (AttributeError, OSError):
            pass

    def send_frame(self, data):
        try:
            self.writer.send_frame(data)
        except OSError:
            pass  # it died already: its end of file is handled with its other streams

    def why(self, returncode, job_timeout):
        if self.timed_out:
            cause = f"no result after {job_timeout:g} s"
        elif returncode < 0:
            try:
                cause = f"killed by {signal.Signals(-returncode).name}"
            except ValueError:
                cause = f"killed by signal {-returncode}"
        else:
            cause = f"exited with status {returncode}"
        return f"{cause} ({self.stderr_tail[-1]})" if self.stderr_tail else cause


class LocalWorkers:
    """``size`` worker processes on this machine, started on entering and stopped on leaving.

    They are started before the coordinator reads the course, so that they
    import nbgrader meanwhile; the course follows when grading begins.
    With ``cores`` (one CPU number per worker), each worker and the sandboxes
    it starts run on their own core, and a replacement takes the core of the
    worker it replaces.
    """

    def __init__(self, size, log, job_timeout=0.0, command=COMMAND, cores=None):
        self.payload = None
        self.command = command
        self.cores = list(cores) if cores else [None] * size
        self.log = log
        self.job_timeout = job_timeout
        self.workers = []
        self.numbers = itertools.count(1)
        self.selector = selectors.DefaultSelector()
        self.exhausted = False
        self.start_failures = 0
        self.started = None
        self.ready_after = None  # seconds from the start to the first worker ready for a job
        # Course-local modules that nbgrader_config.py imports are found as nbgrader finds them: from the cwd.
        # One BLAS thread per worker, as Dask's nanny sets for its workers: the workers already fill the
        # cores, and idle BLAS threads spinning beside them cost a third of the run. glibc's malloc keeps
        # freed memory for reuse: it would hand the checks' arrays of megabytes back to the system, and
        # fault in fresh pages for the next ones (a tenth of the shallow initializer check). Sandboxes
        # start from an environment of their own, without these.
        self.env = {**BLAS_THREADS, **MALLOC_REUSE, **os.environ}
        self.env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")]))

    def __enter__(self):
        self.started = time.monotonic()
        for core in self.cores:
            self._spawn(core=core)
        return self

    def __exit__(self, *exc_info):
        self._stop()
        self.selector.close()

    def grade(self, course, jobs):
        """Yield ``(job, Result or Failed)`` for every job of the iterable ``jobs``, as they finish."""
        self.payload = channel.frame(course)
        for worker in self.workers:
            worker.send_frame(self.payload)
        jobs = iter(jobs)
        try:
            # Read ahead by one: a run with nothing to grade ends without waiting for a worker.
            first = next(jobs, None)
            if first is None:
                return
            jobs = itertools.chain([first], jobs)
            while self.workers:
                self._dispatch(jobs)
                if self.workers:
                    for outcome in self._wait():
                        # The freed worker gets its next job before the caller writes this result.
                        self._dispatch(jobs)
                        yield outcome
        finally:
            self._stop()

    def _spawn(self, reserved=None, core=None):
        worker = _Worker(next(self.numbers), self.command, self.env, core)
        if self.payload is not None:
            worker.send_frame(self.payload)
        worker.reserved = reserved
        self.workers.append(worker)
        self.selector.register(worker.process.stdout, selectors.EVENT_READ, (worker, "out"))
        self.selector.register(worker.process.stderr, selectors.EVENT_READ, (worker, "err"))
        return worker

    def _dispatch(self, jobs):
        for worker in list(self.workers):
            if worker.task is not None or worker.retired:
                continue
            if worker.reserved is not None:
                if worker.ready:
                    self._assign(worker, *worker.reserved)
                    worker.reserved = None
                continue
            if not self.exhausted and worker.ready:
                job = next(jobs, None)
                if job is not None:
                    self._assign(worker, job, 0, "")
                    continue
                self.exhausted = True
            if self.exhausted:
                # No more work: closing its input lets it exit; its end of file then removes it.
                worker.retired = True
                worker.process.stdin.close()

    def _assign(self, worker, job, attempt, earlier):
        worker.task = (job, attempt, earlier)
        worker.deadline = time.monotonic() + self.job_timeout if self.job_timeout else None
        worker.send_frame(channel.frame(job))

    def _wait(self):
        deadlines = [w.deadline for w in self.workers if w.deadline is not None]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        for key, _ in self.selector.select(timeout):
            worker, stream = key.data
            if worker not in self.workers:
                continue
            try:
                data = os.read(key.fd, 1 << 20)
            except BlockingIOError:
                continue
            if stream == "err":
                self._log_stderr(worker, data)
            elif not data:
                yield from self._bury(worker)
            else:
                yield from self._receive(worker, data)
        now = time.monotonic()
        for worker in self.workers:
            if worker.deadline is not None and now > worker.deadline and not worker.timed_out:
                worker.timed_out = True
                worker.process.kill()

    def _receive(self, worker, data):
        for message in worker.reader.feed(data):
            if message[0] == "ready":
                self.log.debug("worker %d ready after %.1f s", worker.number, time.monotonic() - worker.started)
                if self.ready_after is None:
                    self.ready_after = time.monotonic() - self.started
                worker.ready = True
                self.start_failures = 0
            elif message[0] == "log":
                student = worker.task[0].student if worker.task else f"worker {worker.number}"
                self.log.log(message[1], "%s: %s", student, message[2])
            elif message[0] == "result":
                job = worker.task[0]
                worker.task, worker.deadline = None, None
                yield job, message[1]

    def _log_stderr(self, worker, data):
        if not data:
            self.selector.unregister(worker.process.stderr)
            data = b"\n"
        lines = (worker.partial + data).split(b"\n")
        worker.partial = lines.pop()
        for line in lines:
            text = line.decode("utf-8", "replace").rstrip()
            if text:
                worker.stderr_tail.append(text)
                self.log.warning("worker %d: %s", worker.number, text)

    def _bury(self, worker):
        """Account for a worker whose output ended: retry its job, or report it, and replace it."""
        self.workers.remove(worker)
        returncode = self._reap(worker)
        if worker.retired:
            return
        why = worker.why(returncode, self.job_timeout)
        if not worker.ready:
            self.start_failures += 1
            if self.start_failures >= START_ATTEMPTS:
                raise WorkersUnavailable(f"grading workers stop before they are ready: {why}")
        if worker.task is not None:
            job, attempt, earlier = worker.task
            if attempt < RETRIES:
                self.log.warning("%s: the worker grading it died (%s); grading it again on a fresh worker",
                                 job.student, why)
                self._spawn(reserved=(job, attempt + 1, why), core=worker.core)
            else:
                yield job, Failed(f"its worker died ({earlier}), and so did a fresh one ({why})")
        elif worker.reserved is not None:
            self._spawn(reserved=worker.reserved, core=worker.core)
        elif not self.exhausted:
            self.log.warning("worker %d died between jobs (%s); starting another", worker.number, why)
            self._spawn(core=worker.core)

    def _reap(self, worker):
        try:
            returncode = worker.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            returncode = worker.process.wait()
        if worker.process.stderr.fileno() in self.selector.get_map():
            while True:
                try:
                    data = os.read(worker.process.stderr.fileno(), 1 << 20)
                except BlockingIOError:
                    break
                self._log_stderr(worker, data)
                if not data:
                    break
        self.selector.unregister(worker.process.stdout)
        self._close(worker)
        return returncode

    def _stop(self):
        """Stop every worker still running: idle ones, or busy ones when grading stopped early (Ctrl-C)."""
        for worker in self.workers:
            self._unregister(worker)
            if not worker.process.stdin.closed:
                worker.process.stdin.close()
            if worker.task is not None:
                worker.process.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
            self._close(worker)
        self.workers = []

    def _unregister(self, worker):
        for stream in (worker.process.stdout, worker.process.stderr):
            if stream.fileno() in self.selector.get_map():
                self.selector.unregister(stream)

    @staticmethod
    def _close(worker):
        for stream in (worker.process.stdin, worker.process.stdout, worker.process.stderr):
            if not stream.closed:
                stream.close()
