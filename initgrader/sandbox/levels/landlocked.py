"""Level "landlock": isolation from features any process may use, for where namespaces are refused.

Docker's default seccomp profile refuses namespaces to a process without
CAP_SYS_ADMIN (Gradescope runs as such a root), and Ubuntu 24.04 gives a
normal user's new user namespace no capability to mount with. There the
worker is a forked process that, before running anything of the submission:

* starts its own session, takes its rlimits, and switches to a fresh uid when
  the grader may (a root without CAP_SYS_ADMIN still has CAP_SETUID);
* restricts itself with Landlock: read-only access to the system directories
  and the Python installation (the grader package excepted), read-write to
  its own scratch copy and nothing else (no course, no home, no /proc, no
  /tmp, no /dev/shm); no TCP bind or connect (ABI 4); no signals to, and no
  abstract unix sockets of, processes outside the sandbox (ABI 6);
* loads the seccomp filter, which refuses every metadata change Landlock does
  not govern, and, when it runs under the grader's uid, truncation by path
  and signals beyond itself.

Processes: without a pid namespace, ``RLIMIT_NPROC`` would count every process
of the grader's uid, so the submission may start processes only inside a
memory, pids and cpu cgroup. Otherwise it stays one process with one thread
(the filter refuses fork and clone), its memory is its address-space limit,
and killing that one pid ends it. The launcher also watches the scratch: the
submission cannot make folders, and the launcher stops it when its files,
listed or held open or mapped without a name, pass the disk budget.
"""

import ctypes
import os
import stat
import time

from .. import cgroups, landlock, launcher, scratch, seccomp_policy
from .base import Level, resources

POLL_SECONDS = 0.25
ETC_FILES = ("ld.so.cache", "localtime", "nsswitch.conf", "host.conf", "mime.types")
DEVICES = ("/dev/null", "/dev/zero", "/dev/random", "/dev/urandom")
SCRATCH_RIGHTS = (landlock.READ | landlock.FS_WRITE_FILE | landlock.FS_TRUNCATE
                  | landlock.FS_MAKE_REG | landlock.FS_REMOVE_FILE)


class Landlocked(Level):
    """Grader side of the Landlock level."""

    id = "landlock"

    def __init__(self, caps):
        self.abi = caps.get("landlock", 0)
        self.seccomp = caps.get("seccomp", False)
        # A fresh uid needs CAP_SETUID, and a Python that a uid owning nothing can run.
        self.fresh_uid = bool(caps.get("fresh_uid") and caps.get("python_public"))

    def missing(self):
        gaps = []
        if os.geteuid() == 0 and not self.fresh_uid:
            gaps.append("uid: the submission would run as root, without capabilities, because "
                        "no fresh uid can run this Python (make its installation readable by "
                        "every user)")
        if self.abi < 1:
            gaps.append("filesystem: the submission could read and write every file the grader "
                        "can, the course and the gradebook included (the kernel has no Landlock)")
        if 1 <= self.abi < 3 and not self.fresh_uid:
            gaps.append("truncation: files the grader owns and the submission may read (the Python "
                        "installation) could be emptied with open(O_TRUNC) (Landlock before ABI 3)")
        if not self.seccomp:
            gaps.append("system calls: the submission could fork without bound, signal and trace "
                        "the grader's processes and use keyrings and io_uring (libseccomp is "
                        "not usable)")
        return gaps

    def processes(self, cgroup):
        # Started processes are signalled by pid; only Landlock's signal scope (ABI 6) or a
        # uid of their own keeps them from the grader's.
        return super().processes(cgroup) and (self.abi >= 6 or self.fresh_uid)

    def policy(self, sandbox, processes):
        # No pid namespace; under the grader's uid, what Landlock does not govern is refused too.
        return seccomp_policy.Policy(processes, shared_uid=sandbox.uid is None, host_pids=True)

    def prepare(self, sandbox):
        path, folders = scratch.create(sandbox.workdir, sandbox.uid)
        sandbox.scratch = sandbox.home = path
        sandbox.tmp = os.path.join(path, ".tmp")
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        read = list(sandbox.python_dirs) + [os.path.realpath(d) for d in
                                                   ("/usr", "/bin", "/sbin", "/lib", "/lib32",
                                                    "/lib64", "/libx32") if os.path.isdir(d)]
        files = [f for f in (os.path.join("/etc", n) for n in ETC_FILES) if os.path.exists(f)]
        return {"abi": self.abi, "scratch": path, "folders": folders,
                "read": sorted(set(read)), "hidden": list(sandbox.hidden_packages),
                "read_files": files + [os.path.join(here, "worker.py"),
                                       os.path.join(here, "wire.py")],
                "list_dirs": [here], "devices": [d for d in DEVICES if os.path.exists(d)],
                "disk_bytes": sandbox.limits.scratch_bytes, "disk_files": sandbox.limits.max_files,
                "file_bytes": sandbox.limits.max_file_bytes}

    def describe(self, sandbox):
        who = f"uid {sandbox.uid}" if sandbox.uid is not None else "the grader's uid"
        scopes = "TCP, signal and socket scopes" if self.abi >= 6 else (
            "TCP scope" if self.abi >= 4 else "no TCP or signal scope")
        return (f"landlock (ABI {self.abi}: filesystem, {scopes}) + seccomp + {who} + scratch "
                f"folder ({sandbox.limits.scratch_bytes // 1024**2} MiB watched) + "
                f"{resources(sandbox)}")


def _allow_tree(ruleset, root, holes, access):
    """Grant *access* beneath *root* except beneath any of *holes* (Landlock only adds)."""
    inside = [h for h in holes if h.startswith(root.rstrip("/") + "/")]
    if not inside:
        ruleset.allow(root, access)
        return
    ruleset.allow(root, landlock.FS_READ_DIR)
    for name in os.listdir(root):
        path = os.path.join(root, name)
        if path in holes:
            continue
        if os.path.isdir(path) and not os.path.islink(path):
            _allow_tree(ruleset, path, holes, access)
        else:
            ruleset.allow(path, access)


def build_ruleset(config):
    """The Landlock ruleset, made while the launcher can still open every allowed path."""
    ruleset = landlock.Ruleset(config["abi"])
    try:
        holes = [os.path.realpath(h) for h in config["hidden"]]
        for path in config["read"]:
            _allow_tree(ruleset, os.path.realpath(path), holes, landlock.READ_EXEC)
        for path in config["read_files"]:
            ruleset.allow(path, landlock.FS_READ_FILE)
        for path in config["list_dirs"]:
            ruleset.allow(path, landlock.FS_READ_DIR)
        for path in config["devices"]:
            ruleset.allow(path, landlock.FS_READ_FILE | landlock.FS_WRITE_FILE)
        ruleset.allow(config["scratch"], SCRATCH_RIGHTS)
    except BaseException:
        ruleset.close()
        raise
    return ruleset


def _enter(config, pipes, ruleset, parent, start):
    """In the worker: everything between fork and the submission's first line."""
    if config["cgroup"]:
        cgroups.join(config["cgroup"])
    launcher.close_other_fds(list(pipes) + [ruleset.fd])
    os.setsid()
    launcher.raise_oom_score()
    launcher.drop_capabilities(strict=False)
    if config["uid"] is not None:
        os.setgroups([])
        os.setresgid(config["uid"], config["uid"], config["uid"])
    launcher.set_limits(config["rlimits"])
    if config["uid"] is not None:
        os.setresuid(config["uid"], config["uid"], config["uid"])
        # The uid change made this process undumpable, which would hide its descriptors and
        # mappings from the launcher's disk watchdog; only its own uid gains access.
        launcher.prctl(launcher.PR_SET_DUMPABLE, 1)
    elif os.geteuid() == 0:
        launcher.clear_capabilities()
    launcher.die_with_parent(parent)
    os.chdir(config["scratch"])
    ruleset.restrict_self()
    launcher.install_seccomp(config)
    start(config, pipes)


def spawn(config, pipes, control, start):
    """Fork the worker, restricted; returns its pid."""
    seccomp_policy.load_pyseccomp(config["pyseccomp"])
    ruleset = build_ruleset(config)
    launcher.adopt_orphans()
    parent = os.getpid()
    child = os.fork()
    if child == 0:
        try:
            _enter(config, pipes, ruleset, parent, start)
        except BaseException:
            launcher.print_failure()
        finally:
            os._exit(launcher.FAILED)
    ruleset.close()
    # Landlock's ptrace rule keeps the worker out of this launcher; so does this, without it.
    launcher.undumpable()
    return child


def watchdog(config, child):
    """Stop the submission once its scratch holds more than the disk budget."""
    pids = cgroups.members(config["cgroup"]) | {child}
    try:
        size, count = scratch.usage(config["folders"])
        uid = config["uid"] if config["uid"] is not None else os.getuid()
        held_size, held_count = _as_submission(config, held, pids, config["scratch"],
                                               config["file_bytes"], uid)
    except OSError as error:
        return f"the submission's folder could not be measured ({error.strerror})"
    size, count = size + held_size, count + held_count
    if size > config["disk_bytes"]:
        return f"the submission wrote more than {config['disk_bytes'] // 1024**2} MiB to its folder"
    if count > config["disk_files"]:
        return f"the submission made more than {config['disk_files']} files in its folder"
    return ""


_libc = ctypes.CDLL(None, use_errno=True)


def _as_submission(config, function, *args):
    """Call *function* with this thread's filesystem ids the submission's (a root launcher).

    /proc lets a process read another's descriptors and mappings when its filesystem ids
    match the other's uid and gid, or it holds CAP_SYS_PTRACE, which a container's root lacks.
    """
    uid = config["uid"]
    if uid is None or os.geteuid() != 0:
        return function(*args)
    _libc.setfsgid(uid)
    _libc.setfsuid(uid)
    try:
        return function(*args)
    finally:
        _libc.setfsuid(0)
        _libc.setfsgid(0)


def held(pids, folder, file_bytes, uid):
    """(bytes, files) the processes *pids* of *uid* hold in regular files that no folder lists.

    A file unlinked (or made with O_TMPFILE) while open or mapped keeps its blocks until its
    last descriptor and mapping go, and no listing of the scratch sees it; RLIMIT_FSIZE
    bounds each such file, but not how many the submission holds. Held through a
    descriptor, its blocks are counted as they are. Held by a mapping alone, it cannot be
    stat'ed (/proc/<pid>/map_files needs CAP_SYS_ADMIN), so it counts as the largest file
    RLIMIT_FSIZE lets the submission write, which the filter keeps fallocate from exceeding;
    only files that were in *folder* count so (a library replaced under a running grader
    is mapped deleted too). Raises OSError where a process of the submission's cannot be read.
    """
    prefix = os.path.realpath(folder) + "/"
    opened, mapped = {}, set()
    for pid in pids:
        for attempt in range(2):
            try:
                files, mappings = _held_by(pid, prefix)
            except FileNotFoundError:
                break  # the process is gone
            except PermissionError:
                if not _readable_when_settled(pid, uid):
                    break
                if attempt:
                    raise
                # Just after its uid change, until it makes itself dumpable again.
                time.sleep(0.01)
            else:
                opened.update(files)
                mapped |= mappings
                break
    mapped -= set(opened)
    return sum(opened.values()) + len(mapped) * file_bytes, len(opened) + len(mapped)


def _held_by(pid, prefix):
    """{(dev, inode): bytes} of unnamed files *pid* has open, and {(dev, inode)} of those it maps."""
    opened, mapped = {}, set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            info = os.stat(f"/proc/{pid}/fd/{fd}")
        except FileNotFoundError:
            continue
        if stat.S_ISREG(info.st_mode) and info.st_nlink == 0:
            opened[(info.st_dev, info.st_ino)] = info.st_blocks * 512
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            fields = line.split(maxsplit=5)
            if len(fields) == 6 and fields[5].startswith(prefix) and \
                    fields[5].endswith(" (deleted)\n"):
                major, minor = (int(part, 16) for part in fields[3].split(":"))
                mapped.add((os.makedev(major, minor), int(fields[4])))
    return opened, mapped


def _readable_when_settled(pid, uid):
    """Is *pid* a process of the submission proper, whose files /proc shows its own uid?

    /proc hides them, as root's, while the worker is still being set up as root and once a
    process has let go of its memory on the way out (it then holds nothing any more).
    """
    try:
        with open(f"/proc/{pid}/status") as status:
            lines = status.read().splitlines()
    except FileNotFoundError:
        return False
    ids = [line.split()[1:] for line in lines if line.startswith("Uid:")]
    return any(line.startswith("VmSize:") for line in lines) and ids == [[str(uid)] * 4]
