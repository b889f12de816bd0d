"""The sandbox at every level a grader can get, and the pieces each level is built from.

tests/test_sandbox.py runs as this process does (root: level "namespaces"). Here the same suite
runs again through tests/support/confine.py: as a normal user with user namespaces, as a normal
user under a container's seccomp profile (no namespaces: level "landlock"), and as root with only
Docker's capabilities under that profile (Gradescope: "landlock" with a fresh uid). Each inner run
sits in a memory cgroup the outer test makes, so its memory attacks cannot reach the machine.
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
                                launch, levels, probe, pythonpaths, seccomp_policy, uids)
from support import confine, memcg

KIT = Path(__file__).resolve().parent.parent
USER = "igrader-sandbox"  # its own user: the attack batch's grader runs as another one meanwhile
CONFINEMENTS = {
    "user-namespaces": dict(user=USER),
    "landlock-user": dict(user=USER, no_namespaces=True),
    "landlock-root-without-sys-admin": dict(docker_caps=True, no_namespaces=True),
}
EXPECTED = {"user-namespaces": "user-namespaces", "landlock-user": "landlock",
            "landlock-root-without-sys-admin": "landlock"}
# the level new to this kit runs both launch paths; the others, the default one
LAUNCH_PATHS = {"landlock-user": "forkserver,exec"}
INNER_TIMEOUT = 900


def user_namespaces_refused():
    """Why a normal user cannot have user namespaces here, or None."""
    for path, refused in (("/proc/sys/user/max_user_namespaces", "0"),
                          ("/proc/sys/kernel/unprivileged_userns_clone", "0"),
                          ("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1")):
        try:
            if Path(path).read_text().strip() == refused:
                return f"{path} is {refused}: normal users get no working user namespace"
        except OSError:
            pass
    return None


def owned_tempdir(user):
    folder = tempfile.mkdtemp(prefix="initgrader-suite-")
    if user is not None:
        entry = confine.ensure_user(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CONFINEMENTS))
def test_the_sandbox_suite_holds_at_this_level(name):
    options = dict(CONFINEMENTS[name], public_python=True)
    reason = confine.why_not(**options)
    if reason is None and name == "user-namespaces":
        reason = user_namespaces_refused()
    if reason:
        pytest.skip(reason)
    folder = owned_tempdir(options.get("user"))
    group = cgroups.create(memcg.LIMIT, 1 << 16)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env.update(INITGRADER_EXPECT_LEVEL=EXPECTED[name],
               INITGRADER_LAUNCH_PATHS=LAUNCH_PATHS.get(name, "forkserver"))
    if group is not None:
        env[memcg.INSIDE] = "1"
    argv = [sys.executable, "-m", "pytest", str(KIT / "tests" / "test_sandbox.py"), "-q",
            "-p", "no:cacheprovider", f"--basetemp={folder}/t"]
    try:
        start = time.monotonic()
        result = subprocess.run(
            confine.command(argv, cgroups=list(group.dirs.values()) if group else (), **options),
            cwd=KIT, env=env, capture_output=True, text=True, timeout=INNER_TIMEOUT)
        print(f"\n{name}: {result.stdout.strip().splitlines()[-1]} ({time.monotonic() - start:.0f} s)")
    finally:
        if group is not None:
            group.kill(10)
            group.remove()
        shutil.rmtree(folder, ignore_errors=True)
    assert result.returncode == 0, (result.stdout + result.stderr)[-8000:]
    assert " skipped" not in result.stdout.splitlines()[-1] or group is None, result.stdout[-3000:]


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
    assert not allowed & set(seccomp_policy.PATH_METADATA)


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
    group = cgroups.create(256 * 1024**2, 8)
    assert group is not None
    children = [subprocess.Popen(["sleep", "60"], preexec_fn=lambda: cgroups.join(group.procs_files))
                for _ in range(3)]
    assert group.members() == {child.pid for child in children}
    bomb = subprocess.Popen(["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9; do sleep 60 & done; wait"],
                            preexec_fn=lambda: cgroups.join(group.procs_files),
                            stderr=subprocess.PIPE, text=True)
    time.sleep(2)
    assert len(group.members()) <= 8
    assert group.kill(10)
    for child in children:
        assert child.wait(10) == -signal.SIGKILL
    # the shell gave up ("Cannot fork") before the kill, or died in it
    assert bomb.wait(10) in (2, -signal.SIGKILL) and "fork" in bomb.stderr.read().lower()
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
