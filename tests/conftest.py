"""Fixtures shared by the test files; plain helpers live in tests/support/."""
import itertools

import pytest

from initgrader.ingest import context
from support import postgres


@pytest.fixture(autouse=True)
def no_nbgrader_run_registered(monkeypatch):
    """Each test starts with no nbgrader run registered in its thread. A converter an earlier test built (it and
    its exporter refer to each other) lives until the garbage collector runs, and a plugin built without a
    parent would take that run's course for its own."""
    monkeypatch.setattr(context._running, "run", None, raising=False)


@pytest.fixture(scope="session")
def postgres_server():
    """One PostgreSQL server per test process, or a skip that says why there cannot be one."""
    try:
        with postgres.Server() as server:
            yield server
    except postgres.Unavailable as reason:
        pytest.skip(f"no PostgreSQL server: {reason}")


_databases = itertools.count()


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty PostgreSQL database for one test."""
    return postgres_server.create_database(f"gradebook{next(_databases)}")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Group tests for ``pytest -n N --dist loadgroup`` (``make test``) by what they share.

    It runs first: pytest-xdist reads the groups in a hook of its own.

    The tests of a file that use its module-scoped fixtures run in one process,
    so each fixture (a graded class, say) is built once; a parametrized one
    makes a group per parameter, so the attack batch graded by nbgrader and the
    one graded by initgrader run side by side. Tests that share nothing are
    spread one by one.
    """
    for item in items:
        shared = sorted(name for name, definitions in item._fixtureinfo.name2fixturedefs.items()
                        if definitions[-1].scope == "module")
        if not shared:
            continue
        params = getattr(item, "callspec", None)
        key = [item.module.__name__] + [f"{name}={params.params[name]}" for name in shared
                                        if params is not None and name in params.params]
        item.add_marker(pytest.mark.xdist_group("::".join(key)))
