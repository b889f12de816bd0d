"""The launcher: one process per sandbox that builds it, watches it and ends it.

It runs either as ``python -I -S -c ... launcher.main(CONFIG)`` or forked from
the warm fork server (:mod:`forkserver`); both call :func:`run`. It never runs
student code: the level (:mod:`levels`) forks the sandbox's first process, the
launcher waits for it, and ends it when the grader writes to or closes the
control socket, or when the level's watchdog says so. Its last word on the
control socket is a JSON report: the worker's exit code and a reason.

Standard library only (plus pyseccomp, loaded by path in the sandbox's process).
"""

import ctypes
import json
import os
import resource
import select
import signal
import sys
import time
import traceback

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
PR_CAPBSET_DROP = 24
PR_SET_SECUREBITS = 28
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
SECBIT_NOROOT = 1
SECBIT_NOROOT_LOCKED = 2
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
FAILED = 120  # a launcher-side failure before the worker ran
REAP_SECONDS = 5.0
REPORT_BYTES = 4096

_libc = ctypes.CDLL(None, use_errno=True)


def prctl(option, value, strict=True):
    result = _libc.prctl(ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_ulong(0),
                         ctypes.c_ulong(0), ctypes.c_ulong(0))
    if result != 0 and strict:
        code = ctypes.get_errno()
        raise OSError(code, f"prctl({option}): {os.strerror(code)}")
    return result == 0


def print_failure():
    """Print the exception being handled to stderr (the grader's log of this sandbox) now.

    Every caller ends with os._exit, which would drop a buffered traceback.
    """
    traceback.print_exc()
    sys.stderr.flush()


def exit_code(status):
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def close_other_fds(keep):
    previous = 2
    for fd in sorted(set(keep)):
        if fd > previous:
            os.closerange(previous + 1, fd)
            previous = fd
    os.closerange(previous + 1, os.sysconf("SC_OPEN_MAX"))


def set_limits(limits):
    for name, value in limits.items():
        resource_id = getattr(resource, name)
        _, hard = resource.getrlimit(resource_id)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(resource_id, (value, value))


def drop_capabilities(strict=True):
    """Make sure nothing this process runs holds a capability, even as root of a user namespace.

    Without CAP_SETPCAP (a container's root may lack it) the bounding set stays;
    switching to another uid then clears every capability anyway.
    """
    cap = 0
    while prctl(PR_CAPBSET_DROP, cap, strict=False):
        cap += 1
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, strict=False)
    if os.geteuid() == 0:
        prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED, strict=strict)
    prctl(PR_SET_NO_NEW_PRIVS, 1)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def clear_capabilities():
    """Give up every capability for good, keeping the uid (root that cannot switch uid)."""
    prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED, strict=False)
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    if _libc.capset(ctypes.byref(header), data) != 0:
        code = ctypes.get_errno()
        raise OSError(code, "capset: " + os.strerror(code))


def raise_oom_score():
    """Make the out-of-memory killer pick sandbox processes before the grader."""
    try:
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass


def undumpable():
    """Keep this process's memory and /proc files from anything without CAP_SYS_PTRACE, same uid or not."""
    prctl(PR_SET_DUMPABLE, 0)


def adopt_orphans():
    """Make this launcher the parent of every process the worker orphans, so it can reap them."""
    prctl(PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent(parent):
    """SIGKILL this process when *parent* dies (set after any uid change, which clears it)."""
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(FAILED)


def install_seccomp(config):
    from . import seccomp_policy

    seccomp = seccomp_policy.load_pyseccomp(config["pyseccomp"])
    seccomp_policy.Policy.from_dict(config["seccomp"]).install(seccomp, os.getpid())


def worker_argv(config, pipes):
    rfd, wfd = pipes
    worker = dict(config["worker"], rfd=rfd, wfd=wfd)
    return [config["python"], "-I", config["worker_script"], json.dumps(worker)]


def exec_worker(config, pipes):
    os.execve(config["python"], worker_argv(config, pipes), config["env"])


def _send(control, message):
    try:
        os.write(control, json.dumps(message).encode()[:REPORT_BYTES])
    except OSError:
        pass


def _supervise(child, control, level, config):
    """Wait for *child*; end it on the grader's word or the level's watchdog. Returns the report."""
    exited = os.pidfd_open(child)
    reason = ""
    try:
        while True:
            ready, _, _ = select.select([control, exited], [], [], level.POLL_SECONDS)
            if exited in ready:
                break
            if control in ready:
                # Read the request: a socket closed with unread data resets its peer, who
                # would then lose this launcher's report.
                try:
                    os.read(control, 64)
                except OSError:
                    pass
                stop = "stopped by the grader"
            else:
                stop = level.watchdog(config, child)
            if stop:
                reason = stop
                os.kill(child, signal.SIGKILL)
                break
        _, status = os.waitpid(child, 0)
    finally:
        os.close(exited)
    _end_the_rest(config)
    return {"status": exit_code(status), "reason": reason}


def _end_the_rest(config):
    """Kill what the worker left in its cgroup and reap it (this launcher is their subreaper)."""
    from . import cgroups

    if config["cgroup"]:
        cgroups.kill_members(config["cgroup"], REAP_SECONDS)
    deadline = time.monotonic() + REAP_SECONDS
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


def run(config, fds, start):
    """Build the sandbox, supervise it, report (shared by both launch paths)."""
    from . import levels

    rfd, wfd, control = fds
    _send(control, {"pid": os.getpid()})
    level = levels.LAUNCHERS[config["level"]]
    try:
        child = level.spawn(config, (rfd, wfd), control, start)
    except BaseException:
        print_failure()
        _send(control, {"status": FAILED, "reason": "the sandbox could not be built"})
        os._exit(0)
    os.close(rfd)
    os.close(wfd)
    _send(control, _supervise(child, control, level, config))
    os._exit(0)


def main(argv):
    """``python -I -S -c ... launcher.main(sys.argv)`` with the config as the last argument."""
    config = json.loads(argv[-1])
    os.umask(0o022)
    run(config, tuple(config["fds"]), exec_worker)


if __name__ == "__main__":
    main(sys.argv)
