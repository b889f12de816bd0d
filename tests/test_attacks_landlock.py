"""The attack batch of tests/test_attacks.py, graded by `nbgrader autograde` at the "landlock" level.

The grader runs as a normal user under a container's seccomp profile (tests/support/confine.py), where
no namespace can be made: every test of tests/test_attacks.py runs again on that batch. A file of its
own lets the suite's workers grade this batch while another grades the first two.
"""
from test_attacks import *  # noqa: F401,F403 (the same tests, collected here for this batch)
from test_attacks import CONFINED, batch_fixture

batch = batch_fixture(list(CONFINED))
