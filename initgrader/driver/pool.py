"""Local parallelism: a pool of spawned worker processes.

Like :func:`.cluster.grade`, yields ``(job, outcome)`` pairs as jobs finish,
the outcome being a :class:`~.jobs.Result` or the exception that prevented
one (a dead worker, for instance).
"""
import concurrent.futures
import multiprocessing

from . import jobs


def grade(course, todo, workers):
    """Grade ``todo`` in ``workers`` local processes.

    Spawned rather than forked: the coordinator holds threads (progress
    display) and database connections that a fork would duplicate.
    """
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=jobs.init_pool_worker,
        initargs=(course,),
    )
    try:
        futures = {pool.submit(jobs.grade_local, job): job for job in todo}
        for future in concurrent.futures.as_completed(futures):
            error = future.exception()
            yield futures[future], (future.result() if error is None else error)
    except BaseException:
        # Stopped early (Ctrl-C): don't wait for the running jobs.
        # ProcessPoolExecutor.terminate_workers() only exists from Python 3.14.
        processes = list((pool._processes or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        raise
    pool.shutdown()
