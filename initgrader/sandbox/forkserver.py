"""The warm fork server: numpy, IPython's shell and pyplot imported once, a launcher forked per sandbox.

Starting Python and importing those takes about a second; forking a process
that already has them takes milliseconds. The server runs as the grader
(``python -I``, a clean environment, never an ``initgrader`` module that holds
a solution): a submission forked from it inherits its memory, so it holds
nothing a submission may not see. Requests arrive on a SOCK_SEQPACKET socket
as a JSON config plus three descriptors (the worker's two pipes and the
control socket) and a fourth, the launcher's stderr.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading

from . import launcher

STARTUP_TIMEOUT = 60.0
REQUEST_TIMEOUT = 10.0
PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_worker_in_process(worker, config, pipes):
    """Start the pre-imported worker, reseeded so no two sandboxes share state."""
    import random

    import numpy

    os.environ.clear()
    os.environ.update(config["env"])
    sys.argv = launcher.worker_argv(config, pipes)[2:]
    sys.path[:] = [p for p in sys.path if os.path.realpath(p or ".") != PACKAGE_PARENT]
    random.seed()
    numpy.random.seed()
    try:
        worker.run(json.loads(sys.argv[1]))
    except BaseException:
        launcher.print_failure()
        os._exit(launcher.FAILED)
    os._exit(0)


def serve(sock_fd, pyseccomp_path):
    """Import the worker's libraries, then fork a launcher per request until the socket closes."""
    from . import levels, seccomp_policy, worker  # noqa: F401 (launchers use levels at once)

    worker.preload()
    # notebooks import pyplot in their first cell; loading it once here saves every sandbox that cost
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        import matplotlib.pyplot  # noqa: F401
    except ImportError:
        pass
    seccomp_policy.load_pyseccomp(pyseccomp_path)

    def start(config, pipes):
        run_worker_in_process(worker, config, pipes)

    # Launchers report to the grader, so nobody needs to wait for them here.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    server = socket.socket(fileno=sock_fd)
    server.send(b"ready")
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(server, 1 << 20, 4)
        except OSError:
            return
        if not message:
            return
        if len(fds) == 4 and os.fork() == 0:
            try:
                server.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.umask(0o022)
                os.dup2(fds[3], 2)
                os.close(fds[3])
                launcher.run(json.loads(message), tuple(fds[:3]), start)
            except BaseException:
                launcher.print_failure()
            finally:
                os._exit(launcher.FAILED)
        for fd in fds:
            os.close(fd)


class ForkServer:
    """The grader's handle on its fork server: one per grader process, started on first use."""

    _instance = None
    _lock = threading.Lock()

    def __init__(self, env, pyseccomp_path):
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.pid = os.getpid()
        code = ("import sys; sys.path.insert(0, sys.argv[1]); from sandbox import forkserver; "
                "forkserver.serve(int(sys.argv[2]), sys.argv[3] or None)")
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-c", code, PACKAGE_PARENT, str(theirs.fileno()),
                 pyseccomp_path or ""],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                start_new_session=True)
        finally:
            theirs.close()
        self.sock.settimeout(STARTUP_TIMEOUT)
        try:
            if self.sock.recv(16) != b"ready":
                raise OSError("the fork server did not start")
        except BaseException:
            self.stop()
            raise
        self.sock.settimeout(REQUEST_TIMEOUT)

    @classmethod
    def get(cls, env, pyseccomp_path):
        """The running server, or None if it cannot be started (sandboxes then start the slow way)."""
        with cls._lock:
            server = cls._instance
            # A forked grader must not share its parent's server socket.
            if server is None or server.pid != os.getpid() or server.proc.poll() is not None:
                try:
                    server = cls._instance = cls(env, pyseccomp_path)
                except (OSError, socket.timeout):
                    server = cls._instance = None
            return server

    def spawn(self, config, fds):
        """Ask for a launcher with *fds* (read pipe, write pipe, control, stderr)."""
        with self._lock:
            socket.send_fds(self.sock, [json.dumps(config).encode()], list(fds))

    def stop(self):
        self.sock.close()
        try:
            self.proc.wait(REQUEST_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(REQUEST_TIMEOUT)
