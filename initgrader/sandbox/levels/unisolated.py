"""Level "none": a plain child process with rlimits, for trusted code only.

Nothing keeps the submission from the grader's files, processes or network;
the kit refuses it unless ``allow_unisolated`` accepts that. The worker still
runs in its own session on a scratch copy, so ending it and cleaning up work
as in the other levels.
"""

import os

from .. import cgroups, launcher, scratch
from .base import Level

POLL_SECONDS = None


class Unisolated(Level):
    """Grader side of the level without isolation."""

    id = "none"

    def missing(self):
        return ["everything: no isolation at all (the submission runs as the grader, with "
                "access to every file, process and network the grader can reach)"]

    def processes(self, cgroup):
        return True

    def prepare(self, sandbox):
        path, _ = scratch.create(sandbox.workdir)
        sandbox.scratch = sandbox.home = path
        sandbox.tmp = os.path.join(path, ".tmp")
        return {"scratch": path}

    def describe(self, sandbox):
        return "none: plain subprocess + rlimits (memory {:.1f} GiB per process)".format(
            sandbox.limits.memory_bytes / 1024**3)


def spawn(config, pipes, control, start):
    launcher.adopt_orphans()
    parent = os.getpid()
    child = os.fork()
    if child == 0:
        try:
            if config["cgroup"]:
                cgroups.join(config["cgroup"])
            launcher.close_other_fds(pipes)
            os.setsid()
            launcher.die_with_parent(parent)
            os.chdir(config["scratch"])
            launcher.set_limits(config["rlimits"])
            start(config, pipes)
        except BaseException:
            launcher.print_failure()
        finally:
            os._exit(launcher.FAILED)
    return child


def watchdog(config, child):
    return ""
