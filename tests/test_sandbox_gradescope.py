"""The sandbox suite as root with only Docker's capabilities, under its seccomp profile (Gradescope).

Without CAP_SYS_ADMIN no namespace can be made, but CAP_SETUID remains: level "landlock" with a fresh
uid per submission, and the memory and pids cgroup this machine lets root make.
"""
import pytest

from support import levels


@pytest.mark.slow
def test_the_sandbox_suite_holds_as_root_without_sys_admin():
    levels.run_suite("landlock", docker_caps=True, no_namespaces=True)
