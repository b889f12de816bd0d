"""The attack batch of tests/test_attacks.py, graded by `nbgrader autograde` at the "landlock" level.

The grader runs as a normal user under a container's seccomp profile (tests/support/confine.py), where
no namespace can be made: every test of tests/test_attacks.py runs again on that batch. A file of its
own lets the suite's workers grade this batch while another grades the first two.
"""
import pytest

from test_attacks import *  # noqa: F401,F403 (the same tests, collected here for this batch)
from test_attacks import CONFINED, HONEST, batch_fixture, source_points

batch = batch_fixture(list(CONFINED))


@pytest.fixture(scope="module")
def clean():
    """What each honest student gets graded alone: every point (tests/test_attacks.py grades them to see)."""
    alone = {grade_id: (points if kind == "code" else None, points, kind)
             for grade_id, (points, kind) in source_points().items()}
    return {student: alone for student in HONEST}
