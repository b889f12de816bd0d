"""Run a command the way graders run it: as a normal user, and inside a container's seccomp profile.

CI runs as root, but graders often do not: on a laptop as themselves, on a JupyterHub or on Gradescope
inside Docker, whose default seccomp profile refuses to create namespaces to a process without
CAP_SYS_ADMIN. Tests exec the grader through this script to reproduce those places:

    python tests/support/confine.py [--user NAME] [--no-namespaces] -- COMMAND [ARG ...]

``--no-namespaces`` installs a filter modelled on Docker's default profile: ``unshare``, ``setns``,
the mount family and ``clone`` with any namespace flag fail with EPERM, and ``clone3`` with ENOSYS
(so the C library falls back to ``clone``, where the flags can be inspected). Landlock's system
calls stay allowed, as they are in Docker's and Podman's profiles. The filter is installed while
still root, then the user is switched, then the command runs with the filter inherited, as a
container's process would. ``no_new_privs`` is left unset, as Docker leaves it by default.
"""
import argparse
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
HERE = os.path.abspath(__file__)
DEFAULT_USER = "igrader"


def install_no_namespace_filter():
    import pyseccomp as seccomp

    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for name in DENIED:
        rules.add_rule(seccomp.ERRNO(errno.EPERM), name)
    for flag in NAMESPACE_FLAGS.values():
        rules.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    rules.load()


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


def why_not(user=None, no_namespaces=False):
    """Why the confinement cannot be had here, or None when it can."""
    if user is not None:
        if os.geteuid() != 0:
            return "switching to another user needs root"
        if ensure_user(user) is None:
            return f"no user {user!r} and useradd is not available"
    if no_namespaces:
        try:
            import pyseccomp  # noqa: F401
        except (ImportError, RuntimeError) as error:
            return f"libseccomp is not usable: {error}"
    return None


def command(argv, user=None, no_namespaces=False):
    """``argv`` wrapped so that it runs confined."""
    prefix = [sys.executable, HERE]
    if user is not None:
        prefix += ["--user", user]
    if no_namespaces:
        prefix.append("--no-namespaces")
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
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command_argv = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command_argv:
        parser.error("no command given")
    reason = why_not(args.user, args.no_namespaces)
    if reason:
        parser.exit(77, f"confine: {reason}\n")
    if args.no_namespaces:
        install_no_namespace_filter()
    if args.user:
        become(args.user)
    os.execvp(command_argv[0], command_argv)


if __name__ == "__main__":
    main()
