"""Run untrusted student code in an isolated process that speaks plain data only."""

from .isolation import detect_isolation
from .process import (CellResult, IsolationUnavailable, Limits, RemoteError, StudentCodeError,
                      StudentCrashed, StudentProcess, StudentTimeout)
from .wire import Opaque

__all__ = ["StudentProcess", "Limits", "CellResult", "RemoteError", "StudentCodeError",
           "StudentTimeout", "StudentCrashed", "IsolationUnavailable", "Opaque",
           "detect_isolation"]
