"""Run a console script and write its own peak resident set size (KiB) to $PEAK_RSS_FILE when it exits.

``python peak.py .venv/bin/nbgrader autograde ...``: the figure is the grader
process's alone (RUSAGE_SELF), not that of the sandboxes or workers it starts.
"""
import atexit
import os
import resource
import runpy
import sys


def report():
    with open(os.environ["PEAK_RSS_FILE"], "w") as handle:
        handle.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


if __name__ == "__main__":
    atexit.register(report)
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
