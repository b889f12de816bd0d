"""Grading on a Dask cluster; the gradebook stays with the coordinator.

Workers need the same Python packages as the coordinator (nbgrader, the
course's preprocessors) but no access to the course directory. Start them
with ``--nthreads 1``: one process grades one submission at a time.
"""
from distributed import Client, WorkerPlugin, as_completed

from . import jobs


class Preimport(WorkerPlugin):
    """Import the heavy modules when a worker joins, not in its first job."""

    def setup(self, worker):
        jobs.preimport()


def grade(course, todo, address):
    """Grade ``todo`` on the cluster whose scheduler is at ``address``;
    yields ``(job, outcome)`` pairs as in :func:`.pool.grade`."""
    with Client(address) as client:
        client.register_plugin(Preimport(), name="initgrader-preimport")
        # Sent once to every worker instead of once per job.
        [shared] = client.scatter([course], broadcast=True, hash=False)
        futures = {client.submit(jobs.grade, shared, job, pure=False): job for job in todo}
        try:
            for future in as_completed(futures):
                error = future.exception()
                yield futures[future], (future.result() if error is None else error)
        finally:
            client.cancel(list(futures))
