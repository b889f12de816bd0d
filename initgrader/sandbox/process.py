"""The grader-side handle on one sandboxed student process.

It speaks the wire protocol to the worker and never trusts a reply: each one is
size-checked before it is read (JSON and array bytes separately, the arrays'
cap in proportion to what the request sent), parsed only within its item
budget, and validated field by field. Every way the sandbox can be lost (a
crash, a kill, a reply that breaks the protocol) raises :class:`StudentCrashed`;
a student exception raises :class:`StudentCodeError`; running out of time
raises :class:`StudentTimeout`.
"""

import secrets
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from . import levels, wire
from .errors import IsolationUnavailable, StudentCodeError, StudentCrashed, StudentTimeout
from .forkserver import ForkServer
from .launch import STARTUP_TIMEOUT, Sandbox
from .wire import Opaque, PeerTimeout, ProtocolError

# Fork sandboxes from a warm server instead of starting Python each time.
USE_FORKSERVER = True
EXIT_GRACE = 1.0

__all__ = ["StudentProcess", "Limits", "CellResult", "RemoteError", "StudentCodeError",
           "StudentTimeout", "StudentCrashed", "IsolationUnavailable", "Opaque"]


def warm():
    """Probe the machine and start this process's fork server now, ahead of its first sandbox."""
    from . import launch, probe, pythonpaths

    probe.capabilities(launch.pyseccomp_path(), pythonpaths.python_tree()[0])
    if USE_FORKSERVER:
        ForkServer.get(launch.server_env(), launch.pyseccomp_path())


@dataclass
class Limits:
    memory_bytes: int = 2 * 1024**3
    cell_timeout: float = 30.0
    call_timeout: float = 10.0
    max_processes: int = 64
    # the CPUs a submission's processes may use together, where a cgroup's cpu controller can
    # bound them (elsewhere the submission stays one process)
    cpus: float = 1.0
    max_file_bytes: int = 64 * 1024**2
    max_output_chars: int = 20_000
    # the most a request to the worker may carry, and the ceiling of any reply's arrays
    max_message_bytes: int = 256 * 1024**2
    max_restarts: int = 3
    # the submission's own disk: its folder and /tmp (each a tmpfs where namespaces allow)
    scratch_bytes: int = 256 * 1024**2
    tmp_bytes: int = 64 * 1024**2
    max_files: int = 10_000
    # a reply's JSON, parsed only within these bounds
    max_json_bytes: int = 4 * 1024**2
    max_json_items: int = 100_000
    # a reply's arrays: this much, plus reply_factor times the array bytes the request sent
    reply_floor_bytes: int = 32 * 1024**2
    reply_factor: int = 8


@dataclass
class RemoteError:
    """An exception raised by student code, as text only."""
    ename: str
    evalue: str
    traceback: str


@dataclass
class CellResult:
    status: str
    stdout: str
    stderr: str
    error: RemoteError | None = None
    reason: str = ""


def _gib(size):
    return "{:.1f} GiB".format(size / 1024**3)


def _seconds(value):
    return "{:g} s".format(value)


def _describe_exit(report, limits):
    if report is None:
        return "the student process died"
    code = report.get("status")
    if report.get("reason"):
        return "the student process was stopped: " + str(report["reason"])
    if report.get("oom"):
        return "the student process ran out of its {} memory limit".format(_gib(limits.memory_bytes))
    if not isinstance(code, int):
        return "the student process died"
    if code > 128:
        try:
            name = signal.Signals(code - 128).name
        except ValueError:
            name = "signal {}".format(code - 128)
        text = "the student process was killed by {}".format(name)
        if code - 128 in (signal.SIGKILL, signal.SIGSEGV, signal.SIGBUS):
            text += " (possibly by running out of memory)"
        return text
    return "the student process exited with status {}".format(code)


def _text(value, name):
    if not isinstance(value, str):
        raise ProtocolError("field {!r} is not a string".format(name))
    return value


def _remote_error(obj):
    if not isinstance(obj, dict) or set(obj) != {"ename", "evalue", "traceback"}:
        raise ProtocolError("malformed error report")
    return RemoteError(*(_text(obj[key], key) for key in ("ename", "evalue", "traceback")))


class StudentProcess:
    """Runs one submission's code in an isolated process, talking plain data only."""

    def __init__(self, workdir, limits=None, isolation="auto", allow_unisolated=False,
                 env=None, allow_partial=False):
        self.workdir = Path(workdir).resolve()
        if not self.workdir.is_dir():
            raise FileNotFoundError("workdir {} does not exist".format(self.workdir))
        self.limits = limits or Limits()
        self.extra_env = dict(env or {})
        self.isolation = levels.choose(isolation, allow_unisolated, allow_partial)
        # the short id reports show ("namespaces", "user-namespaces", "landlock", "none")
        self.level = self.isolation.id
        # what is in force, in words
        self.isolation_level = ""
        self.use_forkserver = USE_FORKSERVER
        self.last_output = ""
        self.history = []
        self.restarts = 0
        self.gave_up = False
        # grader-side notes on sandboxes that had to be killed the hard way
        self.incidents = []
        # time.monotonic() past which no request may run: the whole submission's budget
        self.deadline = None
        self._sandbox = None
        self._started = False

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self):
        """Start a fresh sandbox (restarting counts against max_restarts)."""
        if self._sandbox is not None:
            return
        if self.gave_up:
            raise StudentCrashed(self._gave_up_message())
        self._launch()
        self._started = True

    def _worker_config(self):
        return {"max_output_chars": self.limits.max_output_chars,
                "max_message_bytes": self.limits.max_message_bytes}

    def _launch(self):
        sandbox = Sandbox(self.isolation, self.workdir, self.limits, self._worker_config(),
                          self.extra_env, self.use_forkserver, self.deadline)
        sandbox.start()
        self._sandbox = sandbox
        self.isolation_level = sandbox.describe()
        try:
            reply, _ = self._receive(time.monotonic() + STARTUP_TIMEOUT, self._caps(0))
            if reply.get("status") != "ready":
                raise ProtocolError("unexpected greeting")
        except (StudentCrashed, PeerTimeout, ProtocolError) as exc:
            detail = sandbox.stderr_tail()
            self._kill()
            raise StudentCrashed("the student process failed to start ({}){}".format(
                "timed out" if isinstance(exc, PeerTimeout) else exc,
                ": " + detail if detail else "")) from None

    def _kill(self):
        """End the sandbox and release everything it held; returns its report."""
        sandbox, self._sandbox = self._sandbox, None
        if sandbox is None:
            return None
        report = sandbox.stop()
        self.incidents += sandbox.incidents
        return report

    def close(self):
        """Kill the sandbox; safe to call more than once."""
        self._kill()

    def _gave_up_message(self):
        return "the student process kept failing; gave up after {} restarts".format(
            self.limits.max_restarts)

    def _caps(self, request_binary):
        """What this process reads of a reply to a request that sent *request_binary* array bytes."""
        binary = min(self.limits.max_message_bytes,
                     self.limits.reply_floor_bytes + self.limits.reply_factor * request_binary)
        return wire.Caps(self.limits.max_json_bytes, self.limits.max_json_items, binary)

    def _gone(self, reason):
        """The sandbox broke: end it, and say why (the worker's exit, if it exited)."""
        sandbox = self._sandbox
        if reason is None:
            report = sandbox.exit_report(EXIT_GRACE) if sandbox is not None else None
            if sandbox is not None and sandbox.cgroup is not None and sandbox.cgroup.oom_kills():
                report = dict(report or {}, oom=True)
            reason = _describe_exit(report, self.limits)
        self._kill()
        return StudentCrashed(reason)

    def _receive(self, deadline, caps):
        try:
            payload, incoming = wire.recv(self._sandbox.rfd, caps, deadline)
            return wire.loads(payload, caps.json_items), incoming
        except wire.PeerClosed:
            raise self._gone(None) from None
        except ProtocolError as exc:
            raise self._gone("the student process sent an invalid message ({})".format(exc)) from None

    def _request(self, message, timeout, out=None):
        """Send one request and return (reply, its arrays); any failure ends the sandbox."""
        deadline = time.monotonic() + timeout
        if self.deadline is not None:
            deadline = min(deadline, self.deadline)
        caps = self._caps(out.size if out else 0)
        # An unguessable id stops replies forged ahead of time by student code
        # from answering a later request.
        request_id = secrets.token_hex(16)
        message = dict(message, id=request_id,
                       caps=[caps.json_bytes, caps.json_items, caps.binary_bytes])
        try:
            wire.send(self._sandbox.wfd, wire.dumps(message), out, deadline)
            reply, incoming = self._receive(deadline, caps)
        except wire.PeerClosed:
            raise self._gone(None) from None
        except PeerTimeout:
            self._kill()
            raise
        if reply.pop("id", None) != request_id:
            raise self._gone("the student process sent an invalid message "
                             "(the reply does not match the request)")
        return reply, incoming

    def _out_of_time(self):
        return self.deadline is not None and time.monotonic() >= self.deadline

    def _ensure_running(self):
        """Start or restart the sandbox, replaying the cells that completed."""
        if self._sandbox is not None:
            return
        if self.gave_up:
            raise StudentCrashed(self._gave_up_message())
        if not self._started:
            self.start()
            return
        while self._sandbox is None:
            if self.restarts >= self.limits.max_restarts:
                self.gave_up = True
                raise StudentCrashed(self._gave_up_message())
            self.restarts += 1
            self._launch()
            self._replay()

    def _replay(self):
        kept = []
        for index, source in enumerate(self.history):
            try:
                self._request({"op": "run_cell", "source": source}, self.limits.cell_timeout)
            except (StudentCrashed, PeerTimeout):
                self.history = kept + self.history[index + 1:]
                return
            kept.append(source)

    def run_cell(self, source):
        """Execute one IPython cell in the student's namespace."""
        self._ensure_running()
        try:
            reply, incoming = self._request({"op": "run_cell", "source": source},
                                            self.limits.cell_timeout)
            result = self._cell_result(reply, incoming)
        except PeerTimeout:
            if self._out_of_time():
                return CellResult("timeout", "", "", None,
                                  "the submission's time limit ran out during the cell")
            return CellResult("timeout", "", "", None, "the cell ran longer than {} and was "
                              "stopped".format(_seconds(self.limits.cell_timeout)))
        except StudentCrashed as exc:
            return CellResult("crashed", "", "", None, str(exc))
        self.history.append(source)
        return result

    def _cell_result(self, reply, incoming):
        try:
            status = reply.get("status")
            if status not in ("ok", "error"):
                raise ProtocolError("unexpected cell status")
            incoming.finish()
            error = reply.get("error")
            return CellResult(status, _text(reply.get("stdout"), "stdout"),
                              _text(reply.get("stderr"), "stderr"),
                              _remote_error(error) if status == "error" else None, "")
        except (ProtocolError, TypeError, ValueError) as exc:
            raise self._gone("the student process sent an invalid message ({})".format(exc)) from None

    def lookup(self, names):
        """Classify names in the student's namespace: function, value, unsupported, missing."""
        names = [str(name) for name in names]
        self._ensure_running()
        reply, incoming = self._checked({"op": "lookup", "names": names}, self.limits.call_timeout)
        try:
            results = reply["results"]
            if not isinstance(results, dict):
                raise ProtocolError("malformed lookup reply")
            found = {}
            for name in names:
                kind, payload = results[name]
                if kind == "value":
                    found[name] = ("value", wire.decode(payload, incoming))
                elif kind == "unsupported":
                    found[name] = ("unsupported", _text(payload, name)[:wire.MAX_TYPENAME])
                elif kind in ("function", "missing"):
                    found[name] = (kind, None)
                else:
                    raise ProtocolError("unknown lookup kind")
            incoming.finish()
            return found
        except (KeyError, TypeError, ValueError, ProtocolError) as exc:
            raise self._gone("the student process sent an invalid message ({})".format(
                exc.__class__.__name__)) from None

    def call(self, name, *args, **kwargs):
        """Call the student's callable *name* on copies of the arguments."""
        out = wire.Outgoing()
        message = {"op": "call", "name": str(name), "args": wire.encode(list(args), out),
                   "kwargs": wire.encode({str(k): v for k, v in kwargs.items()}, out)}
        self._ensure_running()
        self.last_output = ""
        reply, incoming = self._checked(message, self.limits.call_timeout, out, call=True)
        try:
            self.last_output = _text(reply.get("output", ""), "output")
            if reply.get("status") == "ok":
                if set(reply) != {"status", "value", "output"}:
                    raise ProtocolError("malformed call reply")
                value = wire.decode(reply["value"], incoming)
                incoming.finish()
                return value
            if reply.get("status") != "error":
                raise ProtocolError("unexpected call status")
            remote = _remote_error(reply.get("error"))
            incoming.finish()
        except (ProtocolError, TypeError, ValueError) as exc:
            raise self._gone("the student process sent an invalid message ({})".format(exc)) from None
        raise StudentCodeError(remote)

    def _checked(self, message, timeout, out=None, call=False):
        try:
            return self._request(message, timeout, out)
        except PeerTimeout:
            what = "call of {}()".format(message["name"]) if call else "lookup"
            if self._out_of_time():
                raise StudentTimeout("the submission's time limit ran out during the {}".format(what)) from None
            raise StudentTimeout("the {} ran longer than the {} limit and was stopped"
                                 .format(what, _seconds(timeout))) from None
