"""Level "namespaces" (as root) and "user-namespaces" (as a user allowed to create them).

The launcher unshares mount, pid, net, ipc and uts namespaces (as a normal
user inside a new user namespace first) and forks the namespace's init. The
init joins the submission's cgroup, builds a root on a tmpfs holding only the
system directories, the Python installation, a size-limited tmpfs copy of the
submission folder and a size-limited /tmp, chroots into it and forks the
worker, which drops every privilege (a fresh uid at root), takes its rlimits
and seccomp filter, and runs. Killing the init makes the kernel kill every
process in the pid namespace, and the tmpfs mounts vanish with the mount
namespace: nothing of the submission outlives it.
"""

import os
import shutil
import signal

from .. import cgroups, launcher, probe, scratch, seccomp_policy
from .base import Level, resources

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
ST_RELATIME = 4096

NAMESPACES = "mount, pid, net, ipc, uts"
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_ENTRIES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime",
               "nsswitch.conf", "host.conf", "mime.types")
DEVICES = ("null", "zero", "random", "urandom")
WORKER_DIR = "/.worker"
SUBMISSION = "/submission"
POLL_SECONDS = None


class Namespaces(Level):
    """Grader side of both namespace levels."""

    def __init__(self, user, seccomp):
        self.user = user
        self.seccomp = seccomp
        self.id = "user-namespaces" if user else "namespaces"
        self.fresh_uid = not user

    def missing(self):
        if self.seccomp:
            return []
        return ["seccomp: kernel state that namespaces do not separate (keyrings, io_uring, "
                "BPF, ptrace within the sandbox) stays reachable (libseccomp is not usable)"]

    def nproc_counts_only_the_submission(self, sandbox):
        # The kernel counts RLIMIT_NPROC per user namespace (since Linux 5.14).
        return self.user or sandbox.uid is not None

    def prepare(self, sandbox):
        return {"user_ns": self.user, "worker_dir": WORKER_DIR,
                "scratch_bytes": sandbox.limits.scratch_bytes,
                "tmp_bytes": sandbox.limits.tmp_bytes, "inodes": sandbox.limits.max_files}

    def describe(self, sandbox):
        who = "user namespace" if self.user else f"uid {sandbox.uid}"
        return (f"{self.id} ({NAMESPACES}) + chroot + {who} + seccomp + tmpfs scratch "
                f"({sandbox.limits.scratch_bytes // 1024**2} MiB) + {resources(sandbox)}")


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
    probe.mount(source, target, None, MS_BIND)
    flags = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | _locked_flags(source)
    if readonly:
        flags |= MS_RDONLY
    probe.mount(None, target, None, flags)


def _covered(path, roots):
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def _tmpfs(target, size, inodes, mode, flags=MS_NOSUID | MS_NODEV):
    probe.mount("tmpfs", target, "tmpfs", flags, f"size={size},nr_inodes={inodes},mode={mode}")


def build_root(config, source_fd):
    """Populate a tmpfs root (over the workdir, in this mount namespace only), then make it read-only."""
    root = config["workdir"]

    def inside(path):
        return root + path

    _tmpfs(root, 16 * 1024**2, 4096, "0755")
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
    uid = config["uid"] if config["uid"] is not None else 0
    with open(inside("/etc/passwd"), "w") as f:
        f.write(f"root:x:0:0:root:/:/bin/sh\nstudent:x:{uid}:{uid}:student:{SUBMISSION}:/bin/sh\n")
    with open(inside("/etc/group"), "w") as f:
        f.write(f"root:x:0:\nstudent:x:{uid}:\n")
    with open(inside("/etc/hosts"), "w") as f:
        f.write("127.0.0.1 localhost\n")

    os.mkdir(inside("/dev"))
    _tmpfs(inside("/dev"), 64 * 1024, 64, "0755", MS_NOSUID | MS_NOEXEC)
    for name in DEVICES:
        open(inside("/dev/" + name), "a").close()
        probe.mount("/dev/" + name, inside("/dev/" + name), None, MS_BIND)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        os.symlink(target, inside("/dev/" + name))

    os.mkdir(inside("/proc"))
    probe.mount("proc", inside("/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    # /tmp first: a Python prefix spelled under /tmp is mounted inside it, not hidden by it.
    os.mkdir(inside("/tmp"))
    _tmpfs(inside("/tmp"), config["tmp_bytes"], config["inodes"], "1777")
    os.mkdir(inside(SUBMISSION))
    _tmpfs(inside(SUBMISSION), config["scratch_bytes"], config["inodes"], "0700")
    scratch.fill(f"/proc/self/fd/{source_fd}", inside(SUBMISSION))
    if config["uid"] is not None:
        # The copy was made a moment ago by this process: nothing to race with.
        for parent, dirs, files in os.walk(inside(SUBMISSION)):
            os.lchown(parent, uid, uid)
            for name in dirs + files:
                os.lchown(os.path.join(parent, name), uid, uid)

    # Python's prefixes keep their spelled paths: the venv names them so.
    for path in config["mounts"]:
        if not _covered(path, visible):
            bind(path, inside(path))
            visible.append(path)
    for path in config["masks"]:
        if os.path.isdir(inside(path)):
            _tmpfs(inside(path), 4096, 4, "0555", MS_RDONLY | MS_NOSUID | MS_NODEV)

    os.mkdir(inside(WORKER_DIR))
    for path in config["worker_files"]:
        shutil.copyfile(path, inside(WORKER_DIR + "/" + os.path.basename(path)))
    probe.mount(None, root, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def become_student(config, pipes, start):
    """In the worker: drop every privilege, take the limits and the filter, then *start*."""
    launcher.close_other_fds(pipes)
    os.setsid()
    launcher.raise_oom_score()
    launcher.drop_capabilities()
    if config["uid"] is not None:
        os.setgroups([])
        os.setresgid(config["uid"], config["uid"], config["uid"])
    launcher.set_limits(config["rlimits"])
    if config["uid"] is not None:
        os.setresuid(config["uid"], config["uid"], config["uid"])
    else:
        # Root of a user namespace holds every capability inside it until an exec.
        launcher.clear_capabilities()
    launcher.install_seccomp(config)
    start(config, pipes)


def namespace_init(config, pipes, start):
    """Pid 1 of the sandbox: join the cgroup, build the root, start the worker, reap orphans."""
    launcher.prctl(launcher.PR_SET_PDEATHSIG, signal.SIGKILL)
    if config["cgroup"]:
        cgroups.join(config["cgroup"])
    probe.mount(None, "/", None, MS_REC | MS_PRIVATE)
    source = os.open(config["workdir"], os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    build_root(config, source)
    os.close(source)
    os.chroot(config["workdir"])
    os.chdir(SUBMISSION)
    worker = os.fork()
    if worker == 0:
        become_student(config, pipes, start)
    # The worker may share this init's uid (in a user namespace); its capabilities alone
    # should not be what keeps the worker out of this process.
    launcher.undumpable()
    for fd in pipes:
        os.close(fd)
    while True:
        pid, status = os.wait()
        if pid == worker:
            os._exit(launcher.exit_code(status))


def spawn(config, pipes, control, start):
    """Unshare the namespaces and fork their init; returns its pid."""
    # Loaded now: inside the new root, pyseccomp's file is out of reach.
    seccomp_policy.load_pyseccomp(config["pyseccomp"])
    if config["user_ns"]:
        probe.map_current_user()
    probe.unshare(probe.NAMESPACE_FLAGS)
    child = os.fork()
    if child == 0:
        try:
            os.close(control)
            namespace_init(config, pipes, start)
        except BaseException:
            launcher.print_failure()
        finally:
            os._exit(launcher.FAILED)
    return child


def watchdog(config, child):
    return ""
