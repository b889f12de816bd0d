"""The interface every isolation level implements (see :mod:`levels`)."""

from .. import scratch
from ..seccomp_policy import Policy


class Level:
    """One way of isolating a submission; subclasses fill in the details."""

    id = ""
    # the sandbox runs under a uid drawn for it alone
    fresh_uid = False

    def missing(self):
        """Protections this machine cannot give at this level, one sentence each."""
        return []

    def processes(self, cgroup):
        """May the submission start processes? Only when a cgroup bounds them, their memory and CPU.

        Without the cpu controller, each process would be one more share of the machine's CPUs
        taken from the classmates graded beside it; one process is one share.
        """
        return cgroup is not None and cgroup.cpus is not None

    def policy(self, sandbox, processes):
        """The seccomp policy for *sandbox* (see :class:`seccomp_policy.Policy`)."""
        return Policy(processes, shared_uid=False, host_pids=False)

    def nproc_counts_only_the_submission(self, sandbox):
        """Does RLIMIT_NPROC count the submission's processes alone (not the grader's too)?"""
        return sandbox.uid is not None

    def prepare(self, sandbox):
        """The level's entries in the launcher config; may make resources for :meth:`release`."""
        return {}

    def describe(self, sandbox):
        raise NotImplementedError

    def release(self, sandbox):
        """Undo :meth:`prepare` once the sandbox is dead; False if something was left behind.

        The levels without a private tmpfs made a scratch folder: it goes here.
        """
        if sandbox.scratch is None:
            return True
        gone = scratch.remove(sandbox.scratch)
        if gone:
            sandbox.scratch = None
        return gone


def resources(sandbox):
    """The limits in force, as the description's last part."""
    limits, gib = sandbox.limits, sandbox.limits.memory_bytes / 1024**3
    single = "one process, no threads"
    if sandbox.cgroup is None:
        return f"{single} (memory {gib:.1f} GiB of address space) + rlimits"
    processes = (f"{limits.max_processes} processes on {sandbox.cgroup.cpus:g} CPU"
                 if sandbox.processes else single)
    return (f"cgroup {sandbox.cgroup.version} ({gib:.1f} GiB of memory for the whole submission, "
            f"{processes}) + rlimits")
