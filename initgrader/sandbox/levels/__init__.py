"""Isolation levels, one module each, behind one small interface.

Grader side, a :class:`Level` says what this machine cannot give it
(:meth:`Level.missing`), adds its part to the launcher's config
(:meth:`Level.prepare`), describes what is in force (:meth:`Level.describe`)
and releases what it made (:meth:`Level.release`); :func:`choose` picks one.
Launcher side, the level's module forks the sandbox's first process
(``spawn``) and may stop it early (``watchdog(config, first_pid)``, every
``POLL_SECONDS``).

Standard library only: launchers import this under ``python -I -S``.
"""

import logging

from ..errors import IsolationUnavailable
from . import landlocked, namespaces, unisolated
from .base import Level

log = logging.getLogger(__name__)

LAUNCHERS = {"namespaces": namespaces, "user-namespaces": namespaces,
             "landlock": landlocked, "none": unisolated}
REQUESTS = ("auto", "namespaces", "landlock", "none")
PARTIAL_SETTING = "c.SandboxedExecute.allow_partial_isolation = True"
UNISOLATED_SETTING = "c.SandboxedExecute.allow_unisolated = True"


def candidates(caps):
    """Every level this machine can attempt, strongest first."""
    seccomp = caps.get("seccomp", False)
    found = []
    if caps.get("namespaces"):
        found.append(namespaces.Namespaces(user=False, seccomp=seccomp))
    if caps.get("user_namespaces"):
        found.append(namespaces.Namespaces(user=True, seccomp=seccomp))
    found.append(landlocked.Landlocked(caps))
    return found


def choose(requested="auto", allow_unisolated=False, allow_partial=False, caps=None):
    """The level to grade with; raises :class:`IsolationUnavailable` where the kit must refuse."""
    if requested not in REQUESTS:
        raise ValueError("isolation must be one of " + ", ".join(repr(r) for r in REQUESTS))
    if caps is None:
        from .. import launch, probe, pythonpaths

        caps = probe.capabilities(launch.pyseccomp_path(), pythonpaths.python_tree()[0])
    found = candidates(caps)
    if requested == "none":
        level = unisolated.Unisolated()
    elif requested == "auto":
        complete = [level for level in found if not level.missing()]
        level = (complete or found)[0]
    else:
        matching = [level for level in found if level.id.endswith(requested)]
        if not matching:
            raise IsolationUnavailable("Linux namespaces are not available here")
        level = matching[0]
    if level.id == "none":
        if not allow_unisolated:
            raise IsolationUnavailable("refusing to run student code without isolation "
                                       f"(set {UNISOLATED_SETTING} to accept the risk)")
    elif level.missing() and not allow_partial:
        raise IsolationUnavailable(
            f"refusing to run student code: isolation level {level.id!r} here lacks "
            + "; ".join(level.missing()) + f" (set {PARTIAL_SETTING} to accept the risk)")
    log.info("isolation level %s (requested %s)", level.id, requested)
    return level


__all__ = ["Level", "LAUNCHERS", "REQUESTS", "choose", "candidates"]
