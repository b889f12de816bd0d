"""Parallel autograding: nbgrader's own Autograde converter, one submission per job.

The coordinator (:mod:`.coordinator`, driven by ``initgrader autograde``) owns
the course gradebook and the ``autograded/`` tree; workers (:mod:`.grading`)
grade each submission in a private temporary course and hand back plain
data, so they can run as local processes (:mod:`.pool`, :mod:`.worker`) or on
any Dask cluster (:mod:`.cluster`).
"""
