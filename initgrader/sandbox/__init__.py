"""Run untrusted student code in an isolated process that speaks plain data only.

The names below load on first use: launcher processes import this package's
modules under ``python -I -S``, without numpy, so importing the package must
not import the grader-side handle.
"""

import importlib

_EXPORTS = {
    "StudentProcess": "process", "Limits": "process", "CellResult": "process",
    "RemoteError": "process", "StudentCodeError": "errors", "StudentTimeout": "errors",
    "StudentCrashed": "errors", "IsolationUnavailable": "errors", "Opaque": "wire",
    "choose_level": "levels",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module("." + _EXPORTS[name], __name__)
    return getattr(module, "choose" if name == "choose_level" else name)
