"""Start, watch and end one sandbox, from the grader's side.

A :class:`Sandbox` draws the submission's uid and cgroup, lets its level
prepare, starts a launcher (forked by the warm fork server, or a fresh
``python -I -S``), and hands the grader two pipes to the worker. Ending it
never waits without a bound: the launcher is asked to stop and report; if it
does not within ``KILL_TIMEOUT``, it is SIGKILLed by pidfd, every process in
the cgroup is SIGKILLed, and the incident is logged and kept in
:attr:`Sandbox.incidents`.
"""

import json
import logging
import math
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

from . import cgroups, pythonpaths, uids
from .forkserver import PACKAGE_PARENT, ForkServer

log = logging.getLogger(__name__)

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER_FILES = (os.path.join(HERE, "worker.py"), os.path.join(HERE, "wire.py"))
STARTUP_TIMEOUT = 60.0
KILL_TIMEOUT = 10.0
REPORT_BYTES = 4096
PATH = "/usr/local/bin:/usr/bin:/bin"
PASSTHROUGH_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
LAUNCHER_CODE = ("import sys; sys.path.insert(0, sys.argv[1]); from sandbox import launcher; "
                 "launcher.main(sys.argv)")


def pyseccomp_path():
    """Where pyseccomp lives, for launchers that run without site-packages; None if absent."""
    try:
        import pyseccomp
    except (ImportError, OSError, RuntimeError):
        return None
    return pyseccomp.__file__


def base_env(home, tmp):
    """The environment every student process starts from."""
    env = {"PATH": PATH, "HOME": home, "TMPDIR": tmp, "LANG": "C.UTF-8",
           "MPLBACKEND": "Agg", "MPLCONFIGDIR": os.path.join(home, ".matplotlib"),
           "IPYTHONDIR": os.path.join(home, ".ipython"), "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    for name in PASSTHROUGH_ENV:
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def server_env():
    """The fork server's environment: the grader's home and temporary folder, never a sandbox's.

    Its libraries (matplotlib's font cache) write there once; the sandboxes it forks get their own.
    """
    env = {"PATH": PATH, "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    for name in ("HOME", "TMPDIR") + PASSTHROUGH_ENV:
        if name in os.environ:
            env[name] = os.environ[name]
    return env


class Sandbox:
    """One launched sandbox: the worker's pipes, and the means to end it for sure."""

    def __init__(self, level, workdir, limits, worker_config, extra_env, use_forkserver,
                 deadline=None):
        self.level = level
        # time.monotonic() past which the grader asks nothing more of the submission
        self.deadline = deadline
        self.workdir = str(workdir)
        self.limits = limits
        self.worker_config = worker_config
        self.extra_env = extra_env
        self.use_forkserver = use_forkserver
        self.uid = None
        self.cgroup = None
        # may the submission start processes (known once its cgroup is made)
        self.processes = False
        self.scratch = None
        self.home, self.tmp = "/submission", "/tmp"
        self.python_dirs, self.hidden_packages = pythonpaths.python_tree()
        self.incidents = []
        self.report = None
        self.rfd = self.wfd = None
        self._lease = None
        self._control = None
        self._pidfd = None
        self._proc = None
        self._errlog = None
        self._spawned = False
        self._stderr = ""

    def describe(self):
        return self.level.describe(self)

    def _config(self, pipes, control):
        seccomp = pyseccomp_path()
        processes = self.processes = self.level.processes(self.cgroup)
        config = {
            "level": self.level.id, "python": sys.executable, "workdir": self.workdir,
            "uid": self.uid, "cgroup": self.cgroup.procs_files if self.cgroup else [],
            "rlimits": self.rlimits(processes), "pyseccomp": seccomp,
            "seccomp": self.level.policy(self, processes).as_dict(),
            "worker": self.worker_config, "mounts": list(self.python_dirs),
            "masks": list(self.hidden_packages), "worker_files": list(WORKER_FILES),
            "fds": [pipes[0], pipes[1], control],
        }
        config.update(self.level.prepare(self))
        config["worker_script"] = config.get("worker_dir", HERE) + "/worker.py"
        env = base_env(self.home, self.tmp)
        env.update(self.extra_env)
        config["env"] = env
        return config

    def rlimits(self, processes):
        limits = {"RLIMIT_AS": self.limits.memory_bytes, "RLIMIT_FSIZE": self.limits.max_file_bytes,
                  "RLIMIT_CORE": 0, "RLIMIT_NOFILE": 256, "RLIMIT_MEMLOCK": 64 * 1024,
                  "RLIMIT_MSGQUEUE": 0, "RLIMIT_SIGPENDING": 64, "RLIMIT_RTPRIO": 0}
        # Elsewhere RLIMIT_NPROC would count the grader's processes too: there the pids cgroup
        # bounds the submission's, or the filter refuses any.
        if processes and self.level.nproc_counts_only_the_submission(self):
            limits["RLIMIT_NPROC"] = self.limits.max_processes
        if self.deadline is not None:
            # No process of the submission needs more CPU time than the wall time it has left:
            # one still spinning past it is killed by the kernel, should nothing else stop it.
            left = math.ceil(max(0.0, self.deadline - time.monotonic()))
            limits["RLIMIT_CPU"] = left + math.ceil(KILL_TIMEOUT)
        return limits

    def start(self):
        """Launch the sandbox; on any failure everything made so far is undone."""
        to_worker_r, to_worker_w = os.pipe()
        from_worker_r, from_worker_w = os.pipe()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._control = ours
        try:
            if self.level.fresh_uid:
                self._lease = uids.allocate()
                self.uid = self._lease.uid
            if self.level.id != "none" or cgroups.kind():
                self.cgroup = cgroups.create(self.limits.memory_bytes, self.limits.max_processes,
                                             self.limits.cpus)
            config = self._config((to_worker_r, from_worker_w), theirs.fileno())
            self._errlog = tempfile.TemporaryFile()
            self._spawn(config, (to_worker_r, from_worker_w, theirs.fileno()))
            self._spawned = True
        except BaseException:
            for fd in (to_worker_w, from_worker_r):
                os.close(fd)
            self.stop()
            raise
        finally:
            for fd in (to_worker_r, from_worker_w):
                os.close(fd)
            theirs.close()
        self.wfd, self.rfd = to_worker_w, from_worker_r
        os.set_blocking(self.wfd, False)
        first = self._read_report(STARTUP_TIMEOUT)
        if first is not None and "pid" in first:
            try:
                self._pidfd = os.pidfd_open(int(first["pid"]))
            except (OSError, ValueError, TypeError):
                pass

    def _spawn(self, config, fds):
        server = None
        if self.use_forkserver:
            server = ForkServer.get(server_env(), config["pyseccomp"])
        if server is not None:
            try:
                server.spawn(config, list(fds) + [self._errlog.fileno()])
                return
            except (OSError, socket.timeout):
                pass
        self._proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", LAUNCHER_CODE, PACKAGE_PARENT, json.dumps(config)],
            pass_fds=fds, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=self._errlog, env={"PATH": PATH}, start_new_session=True)

    def _read_report(self, timeout):
        """The launcher's next message, or None on silence or end of file."""
        if self._control is None:
            return None
        ready, _, _ = select.select([self._control], [], [], max(0.0, timeout))
        if not ready:
            return None
        try:
            data = self._control.recv(REPORT_BYTES)
        except OSError:
            return None
        if not data:
            return None
        try:
            message = json.loads(data)
        except ValueError:
            return None
        return message if isinstance(message, dict) else None

    def exit_report(self, grace):
        """Wait up to *grace* seconds for the launcher's final report (the worker's exit)."""
        if self.report is None:
            deadline = time.monotonic() + grace
            while self.report is None:
                message = self._read_report(deadline - time.monotonic())
                if message is None:
                    break
                if "status" in message:
                    self.report = message
        return self.report

    def stderr_tail(self):
        """The end of what the launcher and the worker wrote to stderr before the submission ran."""
        if self._errlog is not None:
            self._errlog.seek(0, os.SEEK_END)
            size = self._errlog.tell()
            self._errlog.seek(max(0, size - 2000))
            self._stderr = self._errlog.read().decode("utf-8", "replace").strip()
        return self._stderr

    def stop(self):
        """End the sandbox and release all it held; safe to call more than once. Returns the report."""
        if self._control is not None and self._spawned:
            try:
                self._control.send(b"stop")
            except OSError:
                pass
            if self.exit_report(KILL_TIMEOUT) is None:
                self._incident("the launcher did not report within {:g} s; killed it".format(KILL_TIMEOUT))
                self._kill_launcher()
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._proc is not None:
            try:
                self._proc.wait(KILL_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                try:
                    self._proc.wait(KILL_TIMEOUT)
                except subprocess.TimeoutExpired:
                    self._incident("the launcher outlived SIGKILL")
            self._proc = None
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None
        clean = True
        if self.cgroup is not None:
            if not self.cgroup.kill(KILL_TIMEOUT):
                clean = False
                self._incident("processes of the submission outlived {:g} s of SIGKILL".format(
                    KILL_TIMEOUT))
            try:
                self.cgroup.remove()
                self.cgroup = None
            except OSError:
                self._incident("its cgroup could not be removed")
        if not self.level.release(self):
            self._incident("its scratch folder could not be removed")
        for fd in (self.rfd, self.wfd):
            if fd is not None:
                os.close(fd)
        self.rfd = self.wfd = None
        if self._errlog is not None:
            self.stderr_tail()
            self._errlog.close()
            self._errlog = None
        if self._lease is not None:
            # a uid whose processes may live on is never handed out again
            if clean:
                self._lease.release()
            self._lease = None
        return self.report

    def _kill_launcher(self):
        if self._pidfd is not None:
            try:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            except OSError:
                pass
        if self._proc is not None:
            self._proc.kill()

    def _incident(self, text):
        message = "sandbox ({}): {}".format(self.level.id, text)
        self.incidents.append(message)
        log.warning(message)
