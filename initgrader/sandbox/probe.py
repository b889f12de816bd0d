"""What this machine lets the grader build, found by trying it in throwaway processes.

Run as ``python -I -S -c ... probe.main(PYSECCOMP)``: unsharing and mounting
change the calling process, so nothing here runs in the grader itself. Prints
one JSON object; :func:`capabilities` runs it once per grader process.
"""

import ctypes
import json
import os
import subprocess
import sys
import tempfile

from . import landlock, seccomp_policy

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
NAMESPACE_FLAGS = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 16384, 1 << 18
PROBE_UID = (1 << 31) - 3
TIMEOUT = 30

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


def unshare(flags):
    _check(_libc.unshare(ctypes.c_int(flags)), "unshare")


def mount(source, target, fstype, flags, data=None):
    def arg(text):
        return text.encode() if text is not None else None
    _check(_libc.mount(arg(source), arg(target), arg(fstype), ctypes.c_ulong(flags), arg(data)),
           f"mount {target}")


def map_current_user():
    """Enter a new user namespace as its root, mapped to the caller's uid and gid."""
    uid, gid = os.getuid(), os.getgid()
    unshare(CLONE_NEWUSER)
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write(f"0 {uid} 1")
    with open("/proc/self/gid_map", "w") as f:
        f.write(f"0 {gid} 1")


def _in_child(test):
    """True if *test* runs without raising in a forked child."""
    pid = os.fork()
    if pid == 0:
        try:
            test()
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _namespaces(user):
    # The mounts live in the test's own namespace, so the folder is removed from out here.
    target = tempfile.mkdtemp(prefix="initgrader-probe-")

    def test():
        if user:
            map_current_user()
        unshare(NAMESPACE_FLAGS)
        # A mount namespace's root may still refuse mounts (AppArmor on Ubuntu 24.04
        # gives unprivileged user namespaces no capabilities): mount for real.
        if not _in_child(lambda: _mount_test(target)):
            raise OSError("cannot mount")
    try:
        return _in_child(test)
    finally:
        os.rmdir(target)


def _mount_test(target):
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, "size=4k")
    os.mkdir(target + "/proc")
    mount("proc", target + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)


def _seccomp(path):
    def test():
        seccomp = seccomp_policy.load_pyseccomp(path)
        seccomp_policy.Policy(False, True, True).install(seccomp, os.getpid())
    return _in_child(test)


def _fresh_uid():
    def test():
        os.setgroups([])
        os.setresgid(PROBE_UID, PROBE_UID, PROBE_UID)
        os.setresuid(PROBE_UID, PROBE_UID, PROBE_UID)
    return _in_child(test)


def _public(paths):
    """True if a uid that owns nothing can read every path (a fresh uid must run Python)."""
    def test():
        os.setgroups([])
        os.setresgid(PROBE_UID, PROBE_UID, PROBE_UID)
        os.setresuid(PROBE_UID, PROBE_UID, PROBE_UID)
        for path in paths:
            if not os.access(path, os.R_OK):
                raise OSError(path)
    return _in_child(test)


def main(pyseccomp_path, public_paths):
    found = {"landlock": landlock.abi_version(), "seccomp": _seccomp(pyseccomp_path)}
    found["namespaces"] = os.geteuid() == 0 and _namespaces(user=False)
    found["user_namespaces"] = not found["namespaces"] and _namespaces(user=True)
    found["fresh_uid"] = _fresh_uid()
    found["python_public"] = found["fresh_uid"] and _public(public_paths)
    print(json.dumps(found))


_found = None


def capabilities(pyseccomp_path, public_paths):
    """What the kernel and our privileges allow; probed once per grader process."""
    global _found
    if _found is None:
        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        code = ("import sys; sys.path.insert(0, sys.argv[1]); from sandbox import probe; "
                "probe.main(sys.argv[2] or None, sys.argv[3:])")
        try:
            result = subprocess.run(
                [sys.executable, "-I", "-S", "-c", code, package, pyseccomp_path or "",
                 *public_paths], stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT)
            _found = json.loads(result.stdout) if result.returncode == 0 else {}
        except (OSError, ValueError, subprocess.TimeoutExpired):
            _found = {}
    return _found
