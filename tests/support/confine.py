"""Run a command the way graders run it: as a normal user, and inside a container's seccomp profile.

CI runs as root, but graders often do not: on a laptop as themselves, on a JupyterHub or on Gradescope
inside Docker, whose default seccomp profile refuses to create namespaces to a process without
CAP_SYS_ADMIN. Tests exec the grader through this script to reproduce those places:

    python tests/support/confine.py [--user NAME] [--no-namespaces] [--docker-caps] [--public-python]
                                    [--cgroup DIR ...] -- COMMAND [ARG ...]

``--no-namespaces`` installs a filter modelled on Docker's default profile: ``unshare``, ``setns``,
the mount family and ``clone`` with any namespace flag fail with EPERM, and ``clone3`` with ENOSYS
(so the C library falls back to ``clone``, where the flags can be inspected). Landlock's system
calls stay allowed, as they are in Docker's and Podman's profiles. The filter is installed while
still root, then the user is switched, then the command runs with the filter inherited, as a
container's process would. ``no_new_privs`` is left unset, as Docker leaves it by default.

``--docker-caps`` keeps root but only Docker's default capabilities (no CAP_SYS_ADMIN, as on
Gradescope). ``--public-python`` makes this interpreter's installation readable by every user, as
on a machine whose Python lives under /usr or /opt: where an ancestor folder is private (a pyenv
under /root), the command gets a mount namespace of its own in which that folder is a tmpfs holding
only the installation. ``--cgroup`` moves the command into a cgroup (each DIR's cgroup.procs), so
tests that attack memory run inside a bound. All of these are done before the filter, by the
still-privileged wrapper.
"""
import argparse
import ctypes
import errno
import os
import pwd
import shutil
import subprocess
import sys

NAMESPACE_FLAGS = {
    "CLONE_NEWNS": 0x00020000, "CLONE_NEWCGROUP": 0x02000000, "CLONE_NEWUTS": 0x04000000,
    "CLONE_NEWIPC": 0x08000000, "CLONE_NEWUSER": 0x10000000, "CLONE_NEWPID": 0x20000000,
    "CLONE_NEWNET": 0x40000000, "CLONE_NEWTIME": 0x00000080,
}
DENIED = ("unshare", "setns", "mount", "umount2", "pivot_root", "open_tree", "move_mount", "fsopen",
          "fsmount", "fsconfig", "fspick", "mount_setattr")
# Docker's default capability set: chown, dac_override, fowner, fsetid, kill, setgid, setuid,
# setpcap, net_bind_service, net_raw, sys_chroot, mknod, audit_write, setfcap.
DOCKER_CAPS = (0, 1, 3, 4, 5, 6, 7, 8, 10, 13, 18, 27, 29, 31)
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
PR_CAPBSET_DROP = 24
HERE = os.path.abspath(__file__)
DEFAULT_USER = "igrader"

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


def install_no_namespace_filter():
    import pyseccomp as seccomp

    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in DENIED:
        rules.add_rule(seccomp.ERRNO(errno.EPERM), name)
    for flag in NAMESPACE_FLAGS.values():
        rules.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    # Docker leaves no_new_privs unset; libseccomp would set it.
    rules.set_attr(seccomp.Attr.CTL_NNP, 0)
    rules.load()


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def keep_docker_caps():
    """Reduce root's capabilities to Docker's default set, for good."""
    with open("/proc/sys/kernel/cap_last_cap") as f:
        last = int(f.read())
    for cap in range(last + 1):
        if cap not in DOCKER_CAPS:
            _check(_libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), f"drop capability {cap}")
    mask = sum(1 << c for c in DOCKER_CAPS)
    data = (_CapData * 2)(_CapData(mask, mask, 0), _CapData(0, 0, 0))
    _check(_libc.capset(ctypes.byref(_CapHeader(0x20080522, 0)), data), "capset")


def _private_ancestor(path, user):
    """The highest folder above *path* that *user* cannot enter, or None."""
    parts = os.path.realpath(path).split("/")[1:]
    for end in range(1, len(parts) + 1):
        folder = "/" + "/".join(parts[:end])
        info = os.stat(folder)
        if user is None or info.st_uid != user.pw_uid:
            if not info.st_mode & 0o001:
                return folder
    return None


def make_python_public(user):
    """Give this process a mount namespace where the interpreter's installation is reachable by anyone."""
    needed = sorted({os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, os.path.dirname(sys.executable))})
    hidden = {}
    for path in needed:
        ancestor = _private_ancestor(path, user)
        if ancestor is not None:
            hidden.setdefault(ancestor, set()).add(path)
    if not hidden:
        return
    _check(_libc.unshare(NAMESPACE_FLAGS["CLONE_NEWNS"]), "unshare")
    _check(_libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    for ancestor, paths in hidden.items():
        keep = {path: os.open(path, os.O_PATH | os.O_CLOEXEC) for path in paths}
        _check(_libc.mount(b"tmpfs", ancestor.encode(), b"tmpfs", 0, b"mode=0755"), f"mount {ancestor}")
        for path, fd in keep.items():
            os.makedirs(path, mode=0o755, exist_ok=True)
            _check(_libc.mount(f"/proc/self/fd/{fd}".encode(), path.encode(), None, MS_BIND | MS_REC, None),
                   f"bind {path}")
            os.close(fd)


def ensure_user(name=DEFAULT_USER):
    """The passwd entry of a normal user for tests, created when running as root; None if impossible."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    if os.geteuid() != 0 or shutil.which("useradd") is None:
        return None
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", "--user-group", name],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return pwd.getpwnam(name)


def why_not(user=None, no_namespaces=False, docker_caps=False, public_python=False):
    """Why the confinement cannot be had here, or None when it can."""
    if (user is not None or docker_caps or public_python) and os.geteuid() != 0:
        return "switching user, capabilities or mounts needs root"
    if user is not None and ensure_user(user) is None:
        return f"no user {user!r} and useradd is not available"
    if no_namespaces:
        try:
            import pyseccomp  # noqa: F401
        except (ImportError, RuntimeError) as error:
            return f"libseccomp is not usable: {error}"
    return None


def command(argv, user=None, no_namespaces=False, docker_caps=False, public_python=False, cgroups=()):
    """``argv`` wrapped so that it runs confined."""
    prefix = [sys.executable, HERE]
    for directory in cgroups:
        prefix += ["--cgroup", directory]
    if user is not None:
        prefix += ["--user", user]
    if no_namespaces:
        prefix.append("--no-namespaces")
    if docker_caps:
        prefix.append("--docker-caps")
    if public_python:
        prefix.append("--public-python")
    return prefix + ["--"] + list(argv)


def become(user):
    entry = pwd.getpwnam(user)
    os.setgroups([])
    os.setresgid(entry.pw_gid, entry.pw_gid, entry.pw_gid)
    os.setresuid(entry.pw_uid, entry.pw_uid, entry.pw_uid)
    os.environ.update(HOME=entry.pw_dir, USER=user, LOGNAME=user)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", help="run as this user (created if missing; needs root)")
    parser.add_argument("--no-namespaces", action="store_true", help="forbid creating namespaces")
    parser.add_argument("--docker-caps", action="store_true", help="keep only Docker's default capabilities")
    parser.add_argument("--public-python", action="store_true",
                        help="make this interpreter's installation readable by every user")
    parser.add_argument("--cgroup", action="append", default=[], help="join this cgroup directory")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command_argv = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command_argv:
        parser.error("no command given")
    reason = why_not(args.user, args.no_namespaces, args.docker_caps, args.public_python)
    if reason:
        parser.exit(77, f"confine: {reason}\n")
    for directory in args.cgroup:
        with open(os.path.join(directory, "cgroup.procs"), "w") as f:
            f.write("0")
    if args.public_python:
        make_python_public(pwd.getpwnam(args.user) if args.user else None)
    if args.no_namespaces:
        install_no_namespace_filter()
    if args.user:
        become(args.user)
    elif args.docker_caps:
        keep_docker_caps()
    os.execvp(command_argv[0], command_argv)


if __name__ == "__main__":
    main()
