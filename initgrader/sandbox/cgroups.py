"""A memory, pids and cpu cgroup per submission, where the grader may create one.

The kernel counts a cgroup's memory where ``RLIMIT_AS`` cannot: tmpfs pages,
memfd and shared memory, page tables, swap. The cgroup is made beside the
grader's own one (cgroup v1: in the memory and pids hierarchies, as root; v2:
in a subtree delegated to the grader with both controllers enabled), the
sandbox's first process joins it, and the grader kills every process in it and
removes it at the end.

CPU: the scheduler shares a CPU between processes, so a submission of 64
spinning processes would take 64 shares from the classmates graded beside it
(in a container there is no autogroup to group them by session). Where the cpu
controller is there too, the submission's processes share one group: its
default weight is one process's, and a quota caps it at ``cpus`` CPUs.
"""

import functools
import os
import secrets
import signal
import time

PREFIX = "initgrader-"


@functools.lru_cache(maxsize=1)
def _mounts():
    """{controller or "unified": mount point} from /proc/self/mountinfo (read once: they stay put)."""
    found = {}
    with open("/proc/self/mountinfo") as f:
        for line in f:
            before, _, after = line.partition(" - ")
            fields, extra = before.split(), after.split()
            if len(fields) < 5 or len(extra) < 3:
                continue
            point, fstype, options = fields[4], extra[0], extra[2].split(",")
            if fstype == "cgroup2":
                found.setdefault("unified", point)
            elif fstype == "cgroup":
                for controller in ("memory", "pids", "cpu"):
                    if controller in options:
                        found.setdefault(controller, point)
    return found


def _own_paths():
    """{controller or "unified": this process's cgroup path} from /proc/self/cgroup."""
    paths = {}
    with open("/proc/self/cgroup") as f:
        for line in f:
            number, controllers, path = line.rstrip("\n").split(":", 2)
            if number == "0" and controllers == "":
                paths["unified"] = path
            for controller in controllers.split(","):
                paths[controller] = path
    return paths


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def _v1_parents():
    mounts, own = _mounts(), _own_paths()
    if "memory" not in mounts or "pids" not in mounts:
        return None
    parents = {c: os.path.join(mounts[c], own.get(c, "/").lstrip("/"))
               for c in ("memory", "pids", "cpu") if c in mounts}
    if not all(os.access(parents[c], os.W_OK | os.X_OK) for c in ("memory", "pids")):
        return None
    if "cpu" in parents and not os.access(parents["cpu"], os.W_OK | os.X_OK):
        del parents["cpu"]
    return parents


def _v2_parent():
    mounts, own = _mounts(), _own_paths()
    if "unified" not in mounts or "unified" not in own:
        return None
    here = os.path.join(mounts["unified"], own["unified"].lstrip("/"))
    # A process cannot live in a cgroup that distributes controllers, so a delegated
    # subtree has the grader in a leaf and the controllers enabled one level up.
    for candidate in (here, os.path.dirname(here)):
        enabled = _read(os.path.join(candidate, "cgroup.subtree_control")).split()
        if {"memory", "pids"} <= set(enabled) and os.access(candidate, os.W_OK | os.X_OK):
            return candidate
    return None


def kind():
    """"v1", "v2" or "" (none can be created here)."""
    try:
        if _v1_parents():
            return "v1"
        if _v2_parent():
            return "v2"
    except OSError:
        pass
    return ""


class Cgroup:
    """One submission's cgroup directories (one per v1 hierarchy, or one v2 directory).

    *cpus*: the CPUs its processes together may use at once, or None where the cpu
    controller does not bound them.
    """

    def __init__(self, version, dirs, cpus=None):
        self.version = version
        self.dirs = dirs
        self.cpus = cpus

    def as_dict(self):
        return {"version": self.version, "dirs": self.dirs, "cpus": self.cpus}

    @property
    def procs_files(self):
        """The files a process writes "0" to, to join."""
        return [os.path.join(d, "cgroup.procs") for d in self.dirs.values()]

    def members(self):
        return members(self.procs_files)

    def kill(self, timeout):
        """SIGKILL every member until none is left; False if some outlived *timeout*."""
        if self.version == "v2" and os.path.exists(os.path.join(self.dirs["unified"], "cgroup.kill")):
            try:
                _write(os.path.join(self.dirs["unified"], "cgroup.kill"), "1")
            except OSError:
                pass
        return kill_members(self.procs_files, timeout)

    def peak_memory(self):
        name = "memory.max_usage_in_bytes" if self.version == "v1" else "memory.peak"
        text = _read(os.path.join(self.dirs.get("memory", self.dirs.get("unified", "")), name))
        return int(text) if text.strip().isdigit() else None

    def oom_kills(self):
        name = "memory.oom_control" if self.version == "v1" else "memory.events"
        for line in _read(os.path.join(self.dirs.get("memory", self.dirs.get("unified", "")),
                                       name)).splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill" and value.strip().isdigit():
                return int(value)
        return 0

    def remove(self, timeout=2.0):
        """Remove the directories once their last process is reaped."""
        deadline = time.monotonic() + timeout
        for path in self.dirs.values():
            while True:
                try:
                    os.rmdir(path)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.001)


def create(memory_bytes, max_processes, cpus=None):
    """A new cgroup limiting memory (swap included), processes and, given *cpus*, CPU; or None."""
    name = PREFIX + secrets.token_hex(8)
    try:
        parents = _v1_parents()
        if parents:
            return _create_v1(parents, name, memory_bytes, max_processes, cpus)
        parent = _v2_parent()
        if parent:
            return _create_v2(parent, name, memory_bytes, max_processes, cpus)
    except OSError:
        return None
    return None


def _create_v1(parents, name, memory_bytes, max_processes, cpus):
    if cpus is None:
        parents = {c: p for c, p in parents.items() if c != "cpu"}
    group = Cgroup("v1", {c: os.path.join(p, name) for c, p in parents.items()},
                   cpus if "cpu" in parents else None)
    try:
        for path in group.dirs.values():
            os.mkdir(path)
        if group.cpus is not None:
            cpu = group.dirs["cpu"]
            period = int(_read(os.path.join(cpu, "cpu.cfs_period_us")) or 100_000)
            _write(os.path.join(cpu, "cpu.cfs_quota_us"), str(int(period * cpus)))
        memory = group.dirs["memory"]
        _write(os.path.join(memory, "memory.limit_in_bytes"), str(memory_bytes))
        if os.path.exists(os.path.join(memory, "memory.memsw.limit_in_bytes")):
            _write(os.path.join(memory, "memory.memsw.limit_in_bytes"), str(memory_bytes))
        else:
            # Without swap accounting, swapping out would let the group exceed its limit.
            _write(os.path.join(memory, "memory.swappiness"), "0")
        _write(os.path.join(group.dirs["pids"], "pids.max"), str(max_processes))
    except OSError:
        group.remove(0)
        raise
    return group


def _create_v2(parent, name, memory_bytes, max_processes, cpus):
    controlled = "cpu" in _read(os.path.join(parent, "cgroup.subtree_control")).split()
    group = Cgroup("v2", {"unified": os.path.join(parent, name)}, cpus if controlled else None)
    path = group.dirs["unified"]
    os.mkdir(path)
    try:
        if group.cpus is not None:
            _write(os.path.join(path, "cpu.max"), f"{int(100_000 * cpus)} 100000")
        _write(os.path.join(path, "memory.max"), str(memory_bytes))
        if os.path.exists(os.path.join(path, "memory.swap.max")):
            _write(os.path.join(path, "memory.swap.max"), "0")
        _write(os.path.join(path, "pids.max"), str(max_processes))
    except OSError:
        group.remove(0)
        raise
    return group


def current():
    """The cgroups this process is in now, as a :class:`Cgroup` (to move back into), or None."""
    mounts, own = _mounts(), _own_paths()
    if "memory" in mounts and "pids" in mounts:
        return Cgroup("v1", {c: os.path.join(mounts[c], own.get(c, "/").lstrip("/"))
                             for c in ("memory", "pids")})
    if "unified" in mounts and "unified" in own:
        return Cgroup("v2", {"unified": os.path.join(mounts["unified"], own["unified"].lstrip("/"))})
    return None


def members(procs_files):
    """The pids in the cgroups whose cgroup.procs files are *procs_files*."""
    pids = set()
    for path in procs_files:
        pids.update(int(p) for p in _read(path).split())
    return pids


def kill_members(procs_files, timeout):
    """SIGKILL every process in those cgroups until none is left; False if some outlived *timeout*."""
    deadline = time.monotonic() + timeout
    while True:
        found = members(procs_files)
        if not found:
            return True
        if time.monotonic() > deadline:
            return False
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.01)


def join(procs_files):
    """Move the calling process into the cgroup (run in the sandbox's first process)."""
    for path in procs_files:
        _write(path, "0")
