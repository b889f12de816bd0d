"""The pieces each isolation level is built from, and the sandbox suite as a normal user with user namespaces.

tests/test_sandbox.py runs as this process does (root: level "namespaces"). The same suite runs again
through tests/support/confine.py: here as a normal user with user namespaces ("user-namespaces"); in
tests/test_sandbox_landlock.py as a normal user under a container's seccomp profile, and in
tests/test_sandbox_gradescope.py as root with only Docker's capabilities under it ("landlock").
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from initgrader.sandbox import (IsolationUnavailable, Limits, StudentProcess, cgroups, landlock,
                                launch, levels, probe, pythonpaths, scratch, seccomp_policy, uids)
from support import confine, levels as levels_support

KIT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_sandbox_suite_holds_with_user_namespaces():
    levels_support.run_suite("user-namespaces", user=levels_support.USERS["user-namespaces"])


# --- the pieces ----------------------------------------------------------------------

def test_landlock_abi_is_read_from_the_kernel():
    abi = landlock.abi_version()
    assert abi >= 0
    if abi:
        assert landlock.handled_fs(abi) & landlock.FS_READ_FILE
        assert landlock.handled_fs(1) == (1 << 13) - 1 and landlock.handled_fs(7) == (1 << 16) - 1


def test_the_seccomp_filters_build_for_every_policy():
    seccomp = seccomp_policy.load_pyseccomp(launch.pyseccomp_path())
    for processes in (False, True):
        for shared_uid in (False, True):
            for host_pids in (False, True):
                policy = seccomp_policy.Policy(processes, shared_uid, host_pids)
                assert seccomp_policy.Policy.from_dict(policy.as_dict()).as_dict() == policy.as_dict()
                assert len(policy.filters(seccomp, os.getpid())) == 2
    denied, allowed = set(seccomp_policy.DENIED), set(seccomp_policy.ALLOWED)
    assert not denied & allowed
    assert {"add_key", "keyctl", "request_key", "ptrace", "process_vm_readv", "process_vm_writev",
            "pidfd_getfd", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "unshare",
            "setns", "mount", "memfd_create", "shmget", "kexec_load", "init_module"} <= denied
    assert not allowed & set(seccomp_policy.METADATA + seccomp_policy.PATH_TRUNCATE)


def test_fresh_uids_are_never_handed_out_twice_while_held():
    leases = [uids.allocate() for _ in range(20)]
    try:
        numbers = [lease.uid for lease in leases]
        assert len(set(numbers)) == 20 and min(numbers) >= uids.FIRST
        assert all(os.path.exists(lease.path) for lease in leases)
    finally:
        for lease in leases:
            lease.release()
    assert not any(os.path.exists(os.path.join(uids.LOCK_DIR, str(n))) for n in numbers)


@pytest.mark.skipif(not cgroups.kind(), reason="no cgroup can be created here")
def test_a_cgroup_bounds_and_ends_every_process_in_it():
    group = cgroups.create(256 * 1024**2, 8, cpus=1)
    assert group is not None
    try:
        if group.cpus is not None:
            # one CPU for all its processes: a quota of one period per period
            quota = (Path(group.dirs["cpu"], "cpu.cfs_quota_us").read_text().strip() + " " +
                     Path(group.dirs["cpu"], "cpu.cfs_period_us").read_text().strip()
                     if group.version == "v1" else Path(group.dirs["unified"], "cpu.max").read_text())
            assert len(set(quota.split())) == 1, quota
        join = lambda: cgroups.join(group.procs_files)  # noqa: E731
        children = [subprocess.Popen(["sleep", "60"], preexec_fn=join) for _ in range(3)]
        assert group.members() == {child.pid for child in children}
        bomb = subprocess.Popen(["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9; do sleep 60 & done; wait"],
                                preexec_fn=join, stderr=subprocess.PIPE, text=True)
        time.sleep(2)
        assert len(group.members()) <= 8
        assert group.kill(10)
        for child in children:
            assert child.wait(10) == -signal.SIGKILL
        # the shell gave up ("Cannot fork") before the kill, or died in it
        assert bomb.wait(10) in (2, -signal.SIGKILL) and "fork" in bomb.stderr.read().lower()
    finally:
        group.kill(10)
        group.remove()
    assert not any(os.path.exists(d) for d in group.dirs.values())


def test_the_levels_are_chosen_from_what_the_machine_allows():
    everything = {"namespaces": True, "user_namespaces": False, "landlock": 7, "seccomp": True,
                  "fresh_uid": True, "python_public": True}
    assert levels.choose(caps=everything).id == "namespaces"
    assert levels.choose(caps=dict(everything, namespaces=False, user_namespaces=True)).id == \
        "user-namespaces"
    assert levels.choose(caps=dict(everything, namespaces=False)).id == "landlock"
    assert levels.choose("landlock", caps=everything).id == "landlock"
    with pytest.raises(IsolationUnavailable, match="Linux namespaces"):
        levels.choose("namespaces", caps=dict(everything, namespaces=False))
    with pytest.raises(IsolationUnavailable, match="allow_unisolated"):
        levels.choose("none", caps=everything)
    assert levels.choose("none", allow_unisolated=True, caps=everything).id == "none"


def test_the_probe_reports_this_machine():
    caps = probe.capabilities(launch.pyseccomp_path(), ["/usr"])
    assert set(caps) == {"landlock", "seccomp", "namespaces", "user_namespaces", "fresh_uid",
                         "python_public"}
    assert caps["landlock"] == landlock.abi_version()


def test_python_paths_name_both_spellings_and_never_the_kit(tmp_path):
    link = tmp_path / "venv-link"
    link.symlink_to(sys.prefix, target_is_directory=True)
    directories, hidden = pythonpaths.python_tree(str(link / "bin" / "python"))
    assert str(link) in directories or any(d.startswith(str(link)) for d in directories)
    assert any(os.path.realpath(sys.prefix) == d or os.path.realpath(sys.prefix).startswith(d + "/")
               for d in directories)
    assert str(KIT) not in directories and str(KIT / "initgrader") not in directories
    assert all(not h.startswith(str(KIT / "source")) for h in hidden)


@pytest.mark.slow
@pytest.mark.parametrize("isolation", ["namespaces", "landlock"])
def test_a_venv_reached_through_a_symlink_works(tmp_path, isolation):
    try:
        level = levels.choose(isolation, allow_partial=True)
    except IsolationUnavailable as error:
        pytest.skip(str(error))
    link = Path(tempfile.mkdtemp(prefix="initgrader-venv-link-")) / "venv"
    link.symlink_to(sys.prefix, target_is_directory=True)
    workdir = tmp_path / "work"
    workdir.mkdir()
    script = tmp_path / "grade.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        from initgrader.sandbox import StudentProcess
        with StudentProcess({str(workdir)!r}, isolation={isolation!r}, allow_partial=True) as proc:
            result = proc.run_cell("import numpy.random, sys; print(numpy.random.default_rng(0).integers(9), sys.prefix)")
            print(result.status, result.stdout, result.stderr)
        """))
    try:
        result = subprocess.run([str(link / "bin" / "python"), str(script)], capture_output=True,
                                text=True, timeout=300)
    finally:
        shutil.rmtree(link.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("ok "), (level.id, result.stdout, result.stderr[-3000:])
    assert str(link) in result.stdout


def test_a_launcher_that_will_not_stop_is_killed_and_reported(tmp_path, monkeypatch):
    try:
        levels.choose("auto")
    except IsolationUnavailable as error:
        pytest.skip(str(error))
    monkeypatch.setattr(launch, "KILL_TIMEOUT", 1.0)
    workdir = tmp_path / "work"
    workdir.mkdir()
    proc = StudentProcess(workdir, Limits())
    proc.start()
    assert proc.run_cell("x = 1").status == "ok"
    sandbox = proc._sandbox
    launcher_pid = int(Path(f"/proc/self/fdinfo/{sandbox._pidfd}").read_text().split("Pid:")[1].split()[0])
    os.kill(launcher_pid, signal.SIGSTOP)
    start = time.monotonic()
    proc.close()
    assert time.monotonic() - start < 15
    assert any("did not report" in incident for incident in proc.incidents), proc.incidents
    assert not Path(f"/proc/{launcher_pid}").exists() or \
        Path(f"/proc/{launcher_pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    if sandbox.cgroup is not None:
        assert not sandbox.cgroup.members()


def test_landlock_grants_a_tree_but_not_the_grader_package_inside_it(tmp_path):
    from initgrader.sandbox.levels import landlocked

    class Recorder:
        def __init__(self):
            self.granted = {}

        def allow(self, path, access):
            self.granted[str(path)] = access

    site = tmp_path / "lib" / "site-packages"
    for name in ("numpy/__init__.py", "initgrader/reference.py", "initgrader-1.1.0.dist-info/RECORD",
                 "six.py"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("")
    (tmp_path / "bin").mkdir()
    recorder = Recorder()
    landlocked._allow_tree(recorder, str(tmp_path), [str(site / "initgrader")], landlock.READ_EXEC)
    granted = recorder.granted
    assert granted[str(tmp_path)] == granted[str(site)] == landlock.FS_READ_DIR
    for name in ("bin", "lib/site-packages/numpy", "lib/site-packages/six.py",
                 "lib/site-packages/initgrader-1.1.0.dist-info"):
        assert granted[str(tmp_path / name)] == landlock.READ_EXEC
    assert not any(path.startswith(str(site / "initgrader") + "/") or path == str(site / "initgrader")
                   for path in granted)


def test_a_submissions_files_never_take_the_workers_own_names(tmp_path):
    workdir = tmp_path / "work"
    (workdir / "sub").mkdir(parents=True)
    for name in (".tmp", ".matplotlib", "keep.txt"):
        (workdir / name).write_text("the student's")
    (workdir / ".ipython").mkdir()
    (workdir / ".ipython" / "profile_default").write_text("a file where a folder goes")
    (workdir / "sub" / ".tmp").write_text("deeper down the name is the student's")
    path, folders = scratch.create(workdir)
    try:
        for name in scratch.HOME_DIRS:
            assert os.path.isdir(os.path.join(path, name)) and os.path.join(path, name) in folders
        assert (Path(path) / "keep.txt").read_text() == "the student's"
        assert (Path(path) / "sub" / ".tmp").read_text() == "deeper down the name is the student's"
    finally:
        assert scratch.remove(path)


UNREADABLE_SCRATCH = """
import os, sys
from initgrader.sandbox import scratch
from initgrader.sandbox.levels import landlocked
path, folders = scratch.create(sys.argv[1])
try:
    with open(os.path.join(path, ".tmp", "blob"), "wb") as f:
        f.write(bytes(1024**2))
    os.chmod(os.path.join(path, ".tmp"), 0o300)
    print(landlocked.watchdog({"folders": folders, "scratch": path, "cgroup": [], "uid": None,
                               "disk_bytes": 1024**3, "disk_files": 10_000, "file_bytes": 1024**2},
                              os.getpid()))
finally:
    print(scratch.remove(path), os.path.lexists(path))
"""


def test_a_scratch_folder_its_owner_cannot_list_ends_the_submission_and_still_goes():
    # Root lists every folder: as root, the check runs as a normal user.
    options = {"user": confine.DEFAULT_USER} if os.geteuid() == 0 else {}
    reason = confine.why_not(**options)
    if reason:
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="initgrader-unreadable-"))
    try:
        (folder / "work").mkdir()
        (folder / "check.py").write_text(UNREADABLE_SCRATCH)
        if options:
            entry = confine.ensure_user(options["user"])
            for path in (folder, folder / "work", folder / "check.py"):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        argv = [sys.executable, str(folder / "check.py"), str(folder / "work")]
        result = subprocess.run(confine.command(argv, public_python=bool(options), **options),
                                capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(folder)
    assert result.returncode == 0, result.stderr[-3000:]
    watchdog, removed = result.stdout.splitlines()
    assert watchdog == "the submission's folder could not be measured (Permission denied)"
    assert removed == "True False"


def test_a_scratch_folder_is_private_and_goes_whatever_is_in_it(tmp_path):
    workdir = tmp_path / "work"
    (workdir / "data").mkdir(parents=True)
    (workdir / "data" / "x.csv").write_text("1,2\n")
    workdir.chmod(0o755)
    path, folders = scratch.create(str(workdir))
    try:
        assert os.stat(path).st_mode & 0o777 == 0o700
        assert (Path(path) / "data" / "x.csv").read_text() == "1,2\n"
        assert set(folders) >= {path, os.path.join(path, "data"), os.path.join(path, ".tmp")}
        # deeper than os.walk and shutil.rmtree can recurse
        os.chdir(path)
        for _ in range(1500):
            os.mkdir("d")
            os.chdir("d")
        os.chdir(tmp_path)
    finally:
        assert scratch.remove(path)
    assert not os.path.lexists(path)
