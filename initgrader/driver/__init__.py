"""Parallel autograding: nbgrader's own Autograde converter, one submission per job.

The coordinator (:mod:`.command`) owns the course gradebook and the
``autograded/`` tree; workers (:mod:`.jobs`) grade each submission in a
private temporary course and hand back plain data, so they can run in a local
process pool or on any Dask cluster.
"""
