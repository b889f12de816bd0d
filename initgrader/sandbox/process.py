"""The grader-side handle on one sandboxed student process."""

import importlib.util
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import isolation, wire
from .wire import Opaque, ProtocolError, PeerTimeout

HERE = Path(__file__).resolve().parent
WORKER_FILES = (HERE / "worker.py", HERE / "wire.py")
STARTUP_TIMEOUT = 60.0
KILL_TIMEOUT = 10.0
# Fork sandboxes from a warm server instead of starting Python each time.
USE_FORKSERVER = True
TMP_BYTES = 64 * 1024**2
PATH = "/usr/local/bin:/usr/bin:/bin"
PASSTHROUGH_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")

__all__ = ["StudentProcess", "Limits", "CellResult", "RemoteError", "StudentCodeError",
           "StudentTimeout", "StudentCrashed", "IsolationUnavailable", "Opaque"]


@dataclass
class Limits:
    memory_bytes: int = 2 * 1024**3
    cell_timeout: float = 30.0
    call_timeout: float = 10.0
    max_processes: int = 64
    max_file_bytes: int = 64 * 1024**2
    max_output_chars: int = 20_000
    max_message_bytes: int = 256 * 1024**2
    max_restarts: int = 3


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


class StudentCodeError(Exception):
    """A student function raised an exception."""

    def __init__(self, remote):
        super().__init__("{}: {}".format(remote.ename, remote.evalue))
        self.remote = remote


class StudentTimeout(Exception):
    """A cell or call ran past its time limit."""


class StudentCrashed(Exception):
    """The student process died or broke the protocol."""


class IsolationUnavailable(Exception):
    """The requested isolation cannot be provided on this machine."""


class _Died(Exception):
    """Internal: the sandbox is gone; the message explains why."""


def _gib(size):
    return "{:.1f} GiB".format(size / 1024**3)


def _seconds(value):
    return "{:g} s".format(value)


def _describe_exit(code):
    if code is None:
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


def _hidden_packages(mounts):
    """Grader packages that would be visible through a mounted prefix."""
    spec = importlib.util.find_spec("initgrader")
    masks = []
    for location in (spec.submodule_search_locations or []) if spec else []:
        location = os.path.realpath(location)
        if any(location.startswith(m.rstrip("/") + "/") for m in mounts):
            masks.append(location)
    return masks


def sandbox_env():
    """The environment every student process starts from."""
    env = {"PATH": PATH, "HOME": "/submission", "LANG": "C.UTF-8",
           "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/tmp/matplotlib",
           "IPYTHONDIR": "/tmp/ipython", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    for name in PASSTHROUGH_ENV:
        if name in os.environ:
            env[name] = os.environ[name]
    return env


class _ForkedLauncher:
    """A sandbox forked by the fork server, driven like a ``Popen``."""

    def __init__(self, control):
        self.control = control
        self.returncode = None

    def terminate(self):
        try:
            self.control.send(b"k")
        except OSError:
            pass

    kill = terminate

    def wait(self, timeout=None):
        if self.returncode is not None:
            return self.returncode
        self.control.settimeout(timeout)
        chunks = []
        try:
            while True:
                chunk = self.control.recv(64)
                if not chunk:
                    break
                chunks.append(chunk)
        except socket.timeout:
            raise subprocess.TimeoutExpired("sandbox", timeout) from None
        except OSError:
            pass
        try:
            self.returncode = int(b"".join(chunks))
        except ValueError:
            self.returncode = -1
        self.control.close()
        return self.returncode


class _ForkServer:
    """A root process with numpy and IPython imported that forks sandboxes.

    One per grader process, started on first use; if it cannot start, the
    sandboxes are launched the slow way.
    """

    _instance = None
    _lock = threading.Lock()

    def __init__(self):
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.pid = os.getpid()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", isolation.__file__, "--forkserver",
                 str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=sandbox_env(),
                start_new_session=True)
        finally:
            theirs.close()
        self.sock.settimeout(STARTUP_TIMEOUT)
        if self.sock.recv(16) != b"ready":
            raise OSError("the fork server did not start")

    @classmethod
    def get(cls):
        with cls._lock:
            server = cls._instance
            # A forked grader must not share its parent's server socket.
            if server is None or server.pid != os.getpid() or server.proc.poll() is not None:
                try:
                    server = cls._instance = cls()
                except (OSError, socket.timeout):
                    server = cls._instance = None
            return server

    def spawn(self, config, rfd, wfd, errlog):
        ours, theirs = socket.socketpair()
        try:
            with self._lock:
                socket.send_fds(self.sock, [wire.dumps(config)],
                                [rfd, wfd, theirs.fileno(), errlog.fileno()])
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        return _ForkedLauncher(ours)


class StudentProcess:
    """Runs one submission's code in an isolated process, talking plain data only."""

    def __init__(self, workdir, limits=None, isolation="auto", allow_unisolated=False,
                 env=None):
        self.workdir = Path(workdir).resolve()
        if not self.workdir.is_dir():
            raise FileNotFoundError("workdir {} does not exist".format(self.workdir))
        self.limits = limits or Limits()
        self.extra_env = dict(env or {})
        self.mode = self._choose(isolation, allow_unisolated)
        self.user_ns = self.mode == "namespaces" and os.geteuid() != 0
        self.isolation_level = ""
        self.use_forkserver = USE_FORKSERVER
        self.last_output = ""
        self.history = []
        self.restarts = 0
        self.gave_up = False
        # time.monotonic() past which no request may run: the whole submission's budget
        self.deadline = None
        self._proc = None
        self._uid_lock = None
        self._root = None
        self._errlog = None
        self._started = False

    @staticmethod
    def _choose(requested, allow_unisolated):
        if requested not in ("auto", "namespaces", "none"):
            raise ValueError("isolation must be 'auto', 'namespaces' or 'none'")
        available = isolation.detect_isolation()
        if requested == "auto":
            requested = available
        if requested == "namespaces" and available != "namespaces":
            raise IsolationUnavailable("Linux namespaces are not available here")
        if requested == "none" and not allow_unisolated:
            raise IsolationUnavailable(
                "refusing to run student code without isolation "
                "(pass allow_unisolated=True to accept the risk)")
        return requested

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def _use_forkserver(self):
        # The fork server runs as root and shares the grader's Python, so it
        # serves only the namespace mode with real uids.
        return self.mode == "namespaces" and not self.user_ns and self.use_forkserver

    def _env(self):
        env = sandbox_env()
        if self.mode == "none":
            env["HOME"] = str(self.workdir)
            env["MPLCONFIGDIR"] = str(self.workdir / ".matplotlib")
            env["IPYTHONDIR"] = str(self.workdir / ".ipython")
        env.update(self.extra_env)
        return env

    def _rlimits(self):
        limits = {"RLIMIT_AS": self.limits.memory_bytes,
                  "RLIMIT_FSIZE": self.limits.max_file_bytes,
                  "RLIMIT_CORE": 0, "RLIMIT_NOFILE": 1024}
        if not self.user_ns:
            # In a user namespace the count would include the grader's own processes.
            limits["RLIMIT_NPROC"] = self.limits.max_processes
        return limits

    def _describe(self, uid):
        limits = "rlimits (memory {}, {} processes)".format(
            _gib(self.limits.memory_bytes),
            self.limits.max_processes if not self.user_ns else "unlimited")
        if self.mode == "none":
            return "none: plain subprocess + " + limits
        who = "user namespace (no setuid)" if self.user_ns else "uid {}".format(uid)
        return "namespaces ({}) + chroot + {} + {}".format(isolation.NAMESPACES, who, limits)

    def start(self):
        """Start a fresh sandbox (restarting counts against max_restarts)."""
        if self._proc is not None:
            return
        if self.gave_up:
            raise StudentCrashed(self._gave_up_message())
        self._launch()
        self._started = True

    def _launch(self):
        to_worker_r, to_worker_w = os.pipe()
        from_worker_r, from_worker_w = os.pipe()
        uid = 0
        try:
            if self.mode == "namespaces" and not self.user_ns:
                uid, self._uid_lock = isolation.allocate_uid()
            worker_dir = isolation.WORKER_DIR if self.mode == "namespaces" else str(HERE)
            worker_config = {"max_output_chars": self.limits.max_output_chars,
                             "max_message_bytes": self.limits.max_message_bytes}
            mounts = sorted({os.path.realpath(p) for p in (sys.prefix, sys.base_prefix)})
            if self.mode == "namespaces":
                self._root = tempfile.mkdtemp(prefix="initgrader-root-")
            config = {
                "mode": self.mode, "user_ns": self.user_ns, "uid": uid,
                "root": self._root, "workdir": str(self.workdir),
                "python": sys.executable, "worker": worker_config,
                "worker_script": worker_dir + "/worker.py",
                "env": self._env(), "limits": self._rlimits(),
                "fds": [to_worker_r, from_worker_w], "tmp_bytes": TMP_BYTES,
                "mounts": mounts, "masks": _hidden_packages(mounts),
                "worker_files": [str(p) for p in WORKER_FILES],
            }
            self._errlog = tempfile.TemporaryFile()
            server = _ForkServer.get() if self._use_forkserver() else None
            if server is not None:
                self._proc = server.spawn(config, to_worker_r, from_worker_w, self._errlog)
            else:
                self._proc = subprocess.Popen(
                    [sys.executable, "-I", "-S", isolation.__file__,
                     wire.dumps(config).decode()],
                    pass_fds=(to_worker_r, from_worker_w), stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=self._errlog, env={"PATH": PATH},
                    start_new_session=True)
        except BaseException:
            for fd in (to_worker_w, from_worker_r):
                os.close(fd)
            self._kill()
            raise
        finally:
            os.close(to_worker_r)
            os.close(from_worker_w)
        self._wfd, self._rfd = to_worker_w, from_worker_r
        os.set_blocking(self._wfd, False)
        self.isolation_level = self._describe(uid)
        try:
            reply = self._receive(time.monotonic() + STARTUP_TIMEOUT)
            if reply.get("status") != "ready":
                raise ProtocolError("unexpected greeting")
        except (_Died, PeerTimeout, ProtocolError) as exc:
            detail = self._stderr_tail()
            self._kill()
            raise StudentCrashed("the student process failed to start ({}){}".format(
                "timed out" if isinstance(exc, PeerTimeout) else exc,
                ": " + detail if detail else ""))

    def _stderr_tail(self):
        if self._errlog is None:
            return ""
        self._errlog.seek(0, os.SEEK_END)
        size = self._errlog.tell()
        self._errlog.seek(max(0, size - 2000))
        return self._errlog.read().decode("utf-8", "replace").strip()

    def _kill(self):
        """Kill the whole sandbox and release everything it held."""
        proc, self._proc = self._proc, None
        code = None
        if proc is not None:
            if self.mode == "none":
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError:
                    pass
            # The launcher exits once the whole pid namespace is gone; killing
            # it outright still takes the namespace down, just asynchronously.
            proc.terminate()
            try:
                proc.wait(KILL_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            code = proc.returncode
            for fd in (self._wfd, self._rfd):
                os.close(fd)
        if self._errlog is not None:
            self._errlog.close()
            self._errlog = None
        if self._uid_lock is not None:
            os.close(self._uid_lock)
            self._uid_lock = None
        if self._root is not None:
            try:
                os.rmdir(self._root)
            except OSError:
                pass
            self._root = None
        return code

    def _exit_code(self, grace=1.0):
        """Wait briefly for the launcher to report the worker's fate."""
        try:
            return self._proc.wait(grace)
        except subprocess.TimeoutExpired:
            return None

    def close(self):
        """Kill the sandbox; safe to call more than once."""
        self._kill()

    def _gave_up_message(self):
        return "the student process kept failing; gave up after {} restarts".format(
            self.limits.max_restarts)

    def _receive(self, deadline):
        try:
            payload = wire.recv(self._rfd, self.limits.max_message_bytes, deadline)
            return wire.loads(payload)
        except wire.PeerClosed:
            raise _Died(_describe_exit(self._exit_code()))
        except ProtocolError as exc:
            raise _Died("the student process sent an invalid message ({})".format(exc))

    def _request(self, message, timeout):
        """Send one request and return the reply; kills the sandbox on any failure."""
        deadline = time.monotonic() + timeout
        if self.deadline is not None:
            deadline = min(deadline, self.deadline)
        # An unguessable id stops replies forged ahead of time by student code
        # from answering a later request.
        request_id = secrets.token_hex(16)
        try:
            wire.send(self._wfd, wire.dumps(dict(message, id=request_id)), deadline)
            reply = self._receive(deadline)
            if reply.pop("id", None) != request_id:
                raise _Died("the student process sent an invalid message "
                            "(the reply does not match the request)")
            return reply
        except wire.PeerClosed:
            reason = _describe_exit(self._exit_code())
            self._kill()
            raise _Died(reason)
        except (_Died, PeerTimeout):
            self._kill()
            raise

    def _out_of_time(self):
        return self.deadline is not None and time.monotonic() >= self.deadline

    def _ensure_running(self):
        """Start or restart the sandbox, replaying the cells that completed."""
        if self._proc is not None:
            return
        if self.gave_up:
            raise StudentCrashed(self._gave_up_message())
        if not self._started:
            self.start()
            return
        while self._proc is None:
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
            except (_Died, PeerTimeout):
                self.history = kept + self.history[index + 1:]
                return
            kept.append(source)

    def run_cell(self, source):
        """Execute one IPython cell in the student's namespace."""
        self._ensure_running()
        try:
            reply = self._request({"op": "run_cell", "source": source},
                                  self.limits.cell_timeout)
            result = self._cell_result(reply)
        except PeerTimeout:
            if self._out_of_time():
                return CellResult("timeout", "", "", None, "the submission's time limit ran out during the cell")
            return CellResult("timeout", "", "", None, "the cell ran longer than {} and was "
                              "stopped".format(_seconds(self.limits.cell_timeout)))
        except (_Died, ProtocolError) as exc:
            self._kill()
            return CellResult("crashed", "", "", None, str(exc))
        self.history.append(source)
        return result

    @staticmethod
    def _cell_result(reply):
        status = reply.get("status")
        if status not in ("ok", "error"):
            raise ProtocolError("unexpected cell status")
        error = reply.get("error")
        return CellResult(status, _text(reply.get("stdout"), "stdout"),
                          _text(reply.get("stderr"), "stderr"),
                          _remote_error(error) if status == "error" else None, "")

    def lookup(self, names):
        """Classify names in the student's namespace: function, value, unsupported, missing."""
        names = [str(name) for name in names]
        self._ensure_running()
        reply = self._checked({"op": "lookup", "names": names}, self.limits.call_timeout)
        try:
            results = reply["results"]
            found = {}
            for name in names:
                kind, payload = results[name]
                if kind == "value":
                    found[name] = ("value", wire.decode(payload))
                elif kind == "unsupported":
                    found[name] = ("unsupported", _text(payload, name)[:wire.MAX_TYPENAME])
                elif kind in ("function", "missing"):
                    found[name] = (kind, None)
                else:
                    raise ProtocolError("unknown lookup kind")
            return found
        except (KeyError, TypeError, ValueError, ProtocolError) as exc:
            self._kill()
            raise StudentCrashed("the student process sent an invalid message ({})".format(
                exc.__class__.__name__))

    def call(self, name, *args, **kwargs):
        """Call the student's callable *name* on copies of the arguments."""
        message = {"op": "call", "name": str(name), "args": wire.encode(list(args)),
                   "kwargs": wire.encode({str(k): v for k, v in kwargs.items()})}
        self._ensure_running()
        self.last_output = ""
        reply = self._checked(message, self.limits.call_timeout, call=True)
        try:
            self.last_output = _text(reply.get("output", ""), "output")
            if reply.get("status") == "ok":
                if set(reply) != {"status", "value", "output"}:
                    raise ProtocolError("malformed call reply")
                return wire.decode(reply["value"])
            if reply.get("status") != "error":
                raise ProtocolError("unexpected call status")
            remote = _remote_error(reply.get("error"))
        except ProtocolError as exc:
            self._kill()
            raise StudentCrashed("the student process sent an invalid message ({})".format(exc))
        raise StudentCodeError(remote)

    def _checked(self, message, timeout, call=False):
        try:
            return self._request(message, timeout)
        except PeerTimeout:
            what = "call of {}()".format(message["name"]) if call else "lookup"
            if self._out_of_time():
                raise StudentTimeout("the submission's time limit ran out during the {}".format(what)) from None
            raise StudentTimeout("the {} ran longer than the {} limit and was stopped"
                                 .format(what, _seconds(timeout))) from None
        except _Died as exc:
            raise StudentCrashed(str(exc)) from None
