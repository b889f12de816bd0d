"""Run tests/test_sandbox.py again, confined, at a level this process would not get."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from initgrader.sandbox import cgroups
from support import confine, memcg

KIT = Path(__file__).resolve().parents[2]
# A user per suite: suites run side by side, each checking that none of its user's processes outlive it.
USERS = {"user-namespaces": "igrader-userns", "landlock": "igrader-landlock"}
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


def run_suite(level, launch_paths="forkserver", **options):
    """Run the sandbox suite confined by *options* (see confine.command); it must find *level* in force.

    The run sits in a memory cgroup made for it, so its memory attacks stay inside a bound.
    """
    options["public_python"] = True
    reason = confine.why_not(**options)
    if reason is None and level == "user-namespaces":
        reason = user_namespaces_refused()
    if reason:
        pytest.skip(reason)
    folder = owned_tempdir(options.get("user"))
    group = cgroups.create(memcg.LIMIT, 1 << 16)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env.update(INITGRADER_EXPECT_LEVEL=level, INITGRADER_LAUNCH_PATHS=launch_paths)
    if group is not None:
        env[memcg.INSIDE] = "1"
    argv = [sys.executable, "-m", "pytest", str(KIT / "tests" / "test_sandbox.py"), "-q", "-rs",
            "-p", "no:cacheprovider", f"--basetemp={folder}/t"]
    try:
        start = time.monotonic()
        result = subprocess.run(
            confine.command(argv, cgroups=list(group.dirs.values()) if group else (), **options),
            cwd=KIT, env=env, capture_output=True, text=True, timeout=INNER_TIMEOUT)
        print(f"\n{level} {options}: {result.stdout.strip().splitlines()[-1]} "
              f"({time.monotonic() - start:.0f} s)")
    finally:
        if group is not None:
            group.kill(10)
            group.remove()
        shutil.rmtree(folder, ignore_errors=True)
    assert result.returncode == 0, (result.stdout + result.stderr)[-8000:]
    # with a memory cgroup around it, no test may skip for want of one
    assert group is None or "memory cgroup" not in result.stdout, result.stdout[-3000:]
