"""Grading on a Dask cluster; the gradebook stays with the coordinator.

Workers need the same Python packages as the coordinator (nbgrader, the
course's preprocessors) but no access to the course directory. Start them
with ``--nthreads 1``: one process grades one submission at a time. The
scheduler reschedules the task of a worker that dies, up to its
``distributed.scheduler.allowed-failures``; then the job is reported failed.
"""
from distributed import Client, WorkerPlugin, as_completed

from . import grading
from .jobs import Failed


class Preimport(WorkerPlugin):
    """Import the heavy modules when a worker joins, not in its first job."""

    def setup(self, worker):
        grading.preimport()


class DaskWorkers:
    """The workers of the Dask scheduler at ``address``, connected to on entering."""

    def __init__(self, address, log):
        self.address, self.log = address, log
        self.client = None

    def __enter__(self):
        self.client = Client(self.address)
        self.client.register_plugin(Preimport(), name="initgrader-preimport")
        return self

    def __exit__(self, *exc_info):
        self.client.close()

    def grade(self, course, jobs):
        """Yield ``(job, Result or Failed)`` as jobs finish, with two jobs per worker in flight at most."""
        jobs = iter(jobs)
        client = self.client
        # Sent once to every worker instead of once per job.
        [shared] = client.scatter([course], broadcast=True, hash=False)
        limit = 2 * max(1, len(client.scheduler_info()["workers"]))
        futures = {}
        running = as_completed()

        def submit_next():
            job = next(jobs, None)
            if job is not None:
                future = client.submit(grading.grade, shared, job, pure=False)
                futures[future] = job
                running.add(future)

        try:
            for _ in range(limit):
                submit_next()
            for future in running:
                job = futures.pop(future)
                error = future.exception()
                yield job, (future.result() if error is None else Failed(f"{type(error).__name__}: {error}"))
                submit_next()
        finally:
            client.cancel(list(futures))
