"""The sandbox suite as a normal user under a container's seccomp profile: level "landlock", both launch paths.

No namespace can be made there (Docker's profile refuses them without CAP_SYS_ADMIN; Ubuntu 24.04 gives
a normal user's namespaces no capability to mount), so Landlock and seccomp isolate the submission,
under the grader's own uid.
"""
import pytest

from support import levels


@pytest.mark.slow
def test_the_sandbox_suite_holds_under_landlock_as_a_normal_user():
    levels.run_suite("landlock", "forkserver,exec", user=levels.USERS["landlock"], no_namespaces=True)
