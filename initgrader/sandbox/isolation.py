"""Build the allow-list root the worker runs in, and detect whether we can.

The grader runs this file as a script (``python -I -S isolation.py CONFIG``),
so it uses the standard library only.  As a launcher it unshares mount, pid,
net, ipc and uts namespaces, forks the namespace's init, which builds a tmpfs
root holding only what Python needs plus the submission folder, chroots into
it and forks the worker under an unprivileged uid with rlimits.  Killing the
init (or its parent, the launcher, through a parent-death signal) makes the
kernel kill every process left in the pid namespace.
"""

import ctypes
import ctypes.util
import fcntl
import json
import os
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import traceback

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
NAMESPACE_FLAGS = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET
NAMESPACES = "mount, pid, net, ipc, uts"

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MS_RELATIME = 1 << 21
MNT_DETACH = 2
ST_RELATIME = 4096

PR_SET_PDEATHSIG = 1
PR_CAPBSET_DROP = 24
PR_SET_SECUREBITS = 28
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
SECBIT_NOROOT = 1
SECBIT_NOROOT_LOCKED = 2

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_ENTRIES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime",
               "nsswitch.conf", "host.conf", "mime.types")
DEVICES = ("null", "zero", "random", "urandom")
WORKER_DIR = "/.worker"
SUBMISSION = "/submission"

UID_BASE = 61000
UID_COUNT = 2000
UID_LOCK_DIR = os.path.join(tempfile.gettempdir(), "initgrader-uids")

_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
_detected = None


def _check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, "{}: {}".format(what, os.strerror(errno)))


def unshare(flags):
    _check(_libc.unshare(ctypes.c_int(flags)), "unshare")


def prctl(option, value):
    _check(_libc.prctl(ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_ulong(0),
                       ctypes.c_ulong(0), ctypes.c_ulong(0)), "prctl")


def mount(source, target, fstype, flags, data=None):
    def arg(text):
        return text.encode() if text is not None else None
    _check(_libc.mount(arg(source), arg(target), arg(fstype), ctypes.c_ulong(flags),
                       arg(data)), "mount {}".format(target))


def _locked_flags(path):
    """Flags a bind remount must keep; user namespaces refuse to clear them."""
    flag = os.statvfs(path).f_flag
    flags = flag & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME)
    if flag & ST_RELATIME:
        flags |= MS_RELATIME
    return flags


def bind(source, target, readonly=True):
    """Bind *source* at *target* with nosuid and nodev, read-only unless asked."""
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        open(target, "a").close()
    mount(source, target, None, MS_BIND)
    flags = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | _locked_flags(source)
    if readonly:
        flags |= MS_RDONLY
    mount(None, target, None, flags)


def set_limits(limits):
    for name, value in limits.items():
        resource_id = getattr(resource, name)
        _, hard = resource.getrlimit(resource_id)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(resource_id, (value, value))


def _map_current_user():
    uid, gid = os.getuid(), os.getgid()
    unshare(CLONE_NEWUSER)
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write("0 {} 1".format(uid))
    with open("/proc/self/gid_map", "w") as f:
        f.write("0 {} 1".format(gid))


def _exit_code(status):
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _covered(path, roots):
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def build_root(config):
    """Populate the tmpfs root with the allow-list, then make it read-only."""
    root = config["root"]

    def inside(path):
        return root + path

    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=0755")
    visible = []
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            os.symlink(os.readlink(path), inside(path))
        elif os.path.isdir(path):
            bind(path, inside(path))
            visible.append(os.path.realpath(path))

    os.mkdir(inside("/etc"))
    for name in ETC_ENTRIES:
        path = os.path.join("/etc", name)
        if os.path.islink(path):
            os.symlink(os.readlink(path), inside(path))
        elif os.path.isdir(path):
            shutil.copytree(path, inside(path), symlinks=True)
        elif os.path.isfile(path):
            shutil.copyfile(path, inside(path))
    uid = config["uid"]
    with open(inside("/etc/passwd"), "w") as f:
        f.write("root:x:0:0:root:/:/bin/sh\nstudent:x:{0}:{0}:student:{1}:/bin/sh\n"
                .format(uid, SUBMISSION))
    with open(inside("/etc/group"), "w") as f:
        f.write("root:x:0:\nstudent:x:{}:\n".format(uid))
    with open(inside("/etc/hosts"), "w") as f:
        f.write("127.0.0.1 localhost\n")

    os.mkdir(inside("/dev"))
    mount("tmpfs", inside("/dev"), "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755")
    for name in DEVICES:
        open(inside("/dev/" + name), "a").close()
        mount("/dev/" + name, inside("/dev/" + name), None, MS_BIND)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        os.symlink(target, inside("/dev/" + name))

    os.mkdir(inside("/proc"))
    mount("proc", inside("/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    os.mkdir(inside("/tmp"))
    mount("tmpfs", inside("/tmp"), "tmpfs", MS_NOSUID | MS_NODEV,
          "size={},mode=1777".format(config["tmp_bytes"]))
    bind(config["workdir"], inside(SUBMISSION), readonly=False)

    # Python's prefixes keep their absolute paths: the venv points at them.
    for path in sorted(set(config["mounts"])):
        if not _covered(path, visible):
            bind(path, inside(path))
            visible.append(path)
    for path in config["masks"]:
        if os.path.isdir(inside(path)):
            mount("tmpfs", inside(path), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV,
                  "size=4k,mode=0555")

    os.mkdir(inside(WORKER_DIR))
    for path in config["worker_files"]:
        shutil.copyfile(path, inside(WORKER_DIR + "/" + os.path.basename(path)))
    mount(None, root, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def drop_capabilities():
    """Make sure nothing we exec holds a capability, even as root of a user namespace.

    Without this, root of a user namespace could unmount the allow-list or
    break out of the chroot.
    """
    cap = 0
    while _libc.prctl(ctypes.c_int(PR_CAPBSET_DROP), ctypes.c_ulong(cap), ctypes.c_ulong(0),
                      ctypes.c_ulong(0), ctypes.c_ulong(0)) == 0:
        cap += 1
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
    prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED)
    prctl(PR_SET_NO_NEW_PRIVS, 1)


def close_other_fds(keep):
    previous = 2
    for fd in sorted(set(keep)):
        if fd > previous:
            os.closerange(previous + 1, fd)
            previous = fd
    os.closerange(previous + 1, os.sysconf("SC_OPEN_MAX"))


def worker_argv(config):
    rfd, wfd = config["fds"]
    worker = dict(config["worker"], rfd=rfd, wfd=wfd)
    return [config["python"], "-I", config["worker_script"], json.dumps(worker)]


def exec_worker(config):
    os.execve(config["python"], worker_argv(config), config["env"])


def become_student(config, start):
    """In the forked worker: drop every privilege, then *start* the worker."""
    close_other_fds(config["fds"])
    os.setsid()
    drop_capabilities()
    if not config["user_ns"]:
        os.setgroups([])
        os.setresgid(config["uid"], config["uid"], config["uid"])
    set_limits(config["limits"])
    if not config["user_ns"]:
        os.setresuid(config["uid"], config["uid"], config["uid"])
    start(config)


def namespace_init(config, start):
    """Pid 1 of the sandbox: build the root, start the worker, reap orphans."""
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    if not config["user_ns"]:
        _chown_tree(config["workdir"], config["uid"])
    build_root(config)
    os.chroot(config["root"])
    os.chdir(SUBMISSION)
    worker = os.fork()
    if worker == 0:
        become_student(config, start)
    for fd in config["fds"]:
        os.close(fd)
    while True:
        pid, status = os.wait()
        if pid == worker:
            os._exit(_exit_code(status))


def _chown_tree(path, uid):
    os.lchown(path, uid, uid)
    for parent, dirs, files in os.walk(path):
        for name in dirs + files:
            os.lchown(os.path.join(parent, name), uid, uid)


def launch(config):
    """Entry point of the launcher process.

    SIGTERM makes it kill the namespace's init and wait for it: the init only
    finishes dying once every process in its namespace is gone, so when the
    launcher exits the sandbox is empty.
    """
    os.umask(0o022)
    if config["mode"] == "none":
        os.chdir(config["workdir"])
        set_limits(config["limits"])
        exec_worker(config)
    children = []

    def stop(signum, frame):
        if not children:
            os._exit(128 + signum)
        os.kill(children[0], signal.SIGKILL)

    signal.signal(signal.SIGTERM, stop)
    if config["user_ns"]:
        _map_current_user()
    unshare(NAMESPACE_FLAGS)
    child = os.fork()
    if child == 0:
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            namespace_init(config, exec_worker)
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(120)
    children.append(child)
    for fd in config["fds"]:
        os.close(fd)
    _, status = os.waitpid(child, 0)
    os._exit(_exit_code(status))


def launch_forked(config, fds, start):
    """Like :func:`launch`, in a child of the fork server.

    The grader holds the other end of *control*: a byte or end-of-file on it
    kills the sandbox; the launcher answers with the exit code once the pid
    namespace is empty.
    """
    rfd, wfd, control, errlog = fds
    os.dup2(errlog, 2)
    os.close(errlog)
    config["fds"] = [rfd, wfd]
    unshare(NAMESPACE_FLAGS)
    child = os.fork()
    if child == 0:
        try:
            os.close(control)
            namespace_init(config, start)
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(120)
    os.close(rfd)
    os.close(wfd)
    exited = os.pidfd_open(child)
    ready, _, _ = select.select([control, exited], [], [])
    if control in ready:
        os.kill(child, signal.SIGKILL)
    _, status = os.waitpid(child, 0)
    try:
        os.write(control, str(_exit_code(status)).encode())
    except OSError:
        pass
    os._exit(0)


def run_worker_in_process(worker, config):
    """Start the pre-imported worker, reseeded so no two sandboxes share state."""
    import random

    import numpy

    os.environ.clear()
    os.environ.update(config["env"])
    sys.argv = worker_argv(config)[2:]
    random.seed()
    numpy.random.seed()
    try:
        worker.run(json.loads(sys.argv[1]))
    finally:
        os._exit(0)


def serve_forks(sock_fd):
    """The warm fork server: import the worker once, fork a launcher per request.

    Requests arrive on a SOCK_SEQPACKET socket as a JSON config plus four fds:
    the worker's two pipes, the control socket and the sandbox's error log.
    """
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    import worker
    sys.path.remove(here)
    import IPython.core.interactiveshell  # noqa: F401
    # notebooks import pyplot in their first cell; loading it once here saves every sandbox that cost
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        import matplotlib.pyplot  # noqa: F401
    except ImportError:
        pass

    def start(config):
        run_worker_in_process(worker, config)

    # Launchers report to the grader, so nobody needs to wait for them here.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    server = socket.socket(fileno=sock_fd)
    server.send(b"ready")
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(server, 1 << 20, 4)
        except OSError:
            return
        if not message:
            return
        if len(fds) == 4 and os.fork() == 0:
            try:
                server.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.umask(0o022)
                launch_forked(json.loads(message), fds, start)
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(120)
        for fd in fds:
            os.close(fd)


def probe():
    """Exit 0 if this process can build a sandbox root."""
    if os.geteuid() != 0:
        _map_current_user()
    unshare(NAMESPACE_FLAGS)
    target = tempfile.mkdtemp(prefix="initgrader-probe-")
    try:
        child = os.fork()
        if child == 0:
            try:
                mount(None, "/", None, MS_REC | MS_PRIVATE)
                mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, "size=4k")
                os.mkdir(target + "/proc")
                mount("proc", target + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
                os._exit(0)
            except BaseException:
                os._exit(1)
        _, status = os.waitpid(child, 0)
        return _exit_code(status)
    finally:
        # The child's mounts live in our namespace too.
        _libc.umount2(target.encode(), MNT_DETACH)
        os.rmdir(target)


def detect_isolation():
    """Return "namespaces" if sandboxes can be built here, else "none"."""
    global _detected
    if _detected is None:
        try:
            result = subprocess.run(
                [sys.executable, "-I", "-S", os.path.abspath(__file__), "--probe"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, timeout=60)
            _detected = "namespaces" if result.returncode == 0 else "none"
        except (OSError, subprocess.TimeoutExpired):
            _detected = "none"
    return _detected


def allocate_uid():
    """Reserve a uid no other live sandbox uses; returns (uid, lock fd)."""
    os.makedirs(UID_LOCK_DIR, mode=0o700, exist_ok=True)
    for uid in range(UID_BASE, UID_BASE + UID_COUNT):
        fd = os.open(os.path.join(UID_LOCK_DIR, str(uid)),
                     os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        return uid, fd
    raise OSError("all {} sandbox uids are in use".format(UID_COUNT))


def main(argv):
    if argv[1:] == ["--probe"]:
        try:
            os._exit(probe())
        except OSError:
            os._exit(1)
    if argv[1] == "--forkserver":
        serve_forks(int(argv[2]))
        return
    launch(json.loads(argv[1]))


if __name__ == "__main__":
    main(sys.argv)
