"""The program that runs inside the sandbox.

It executes notebook cells in an IPython shell and calls the submission's
functions for the grader, speaking only the wire protocol over two inherited
pipes.  Nothing it sends is trusted: the grader validates every message.

Usage: ``python -I worker.py CONFIG_JSON``, or :func:`run` in a process forked
from the warm fork server.  It imports ``wire`` from its own folder and never
anything from ``initgrader``.  Each request says how large a reply the grader
will read; a larger result becomes an error the student can read instead of a
reply the grader would reject.
"""

import contextlib
import io
import json
import os
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import wire  # noqa: E402
sys.path.remove(HERE)


class Capture(io.TextIOBase):
    """A text stream keeping at most *limit* characters and counting the rest."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, limit):
        self.limit = limit
        self.parts = []
        self.kept = 0
        self.dropped = 0

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not " + type(text).__name__)
        size = len(text)
        room = self.limit - self.kept
        if room <= 0:
            self.dropped += size
            return size
        part = text[:room]
        self.parts.append(part)
        self.kept += len(part)
        self.dropped += size - len(part)
        return size

    def getvalue(self):
        text = "".join(self.parts)
        if self.dropped:
            text += "\n[... {} characters dropped]\n".format(self.dropped)
        return text


def preload():
    """Import what a shell and a first cell import, so that processes forked after this start warm."""
    import bdb  # noqa: F401
    import numpy.random  # noqa: F401
    from IPython.core import (application, completer, completerlib, crashhandler, interactiveshell,  # noqa: F401
                              logger, magics, oinspect)


def make_shell():
    """An IPython shell that records errors instead of printing them."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class SandboxShell(InteractiveShell):
        @contextlib.contextmanager
        def _tee(self, channel):
            # IPython 9 copies all output into its history: slow and unbounded.
            yield

        def showtraceback(self, *args, **kwargs):
            pass

        def showsyntaxerror(self, *args, **kwargs):
            pass

        def show_usage_error(self, exc):
            pass

    config = Config()
    config.HistoryManager.enabled = False
    shell = SandboxShell.instance(config=config)
    # A notebook shows a cell's value without the terminal's "Out[n]:" prompt.
    shell.displayhook.write_output_prompt = lambda: None
    return shell


MAX_EVALUE = 10_000
MAX_TRACEBACK = 20_000


def safe_str(value):
    try:
        return str(value)
    except BaseException:
        return "<unprintable {} object>".format(type(value).__name__)


def clip(text, limit):
    return text if len(text) <= limit else text[:limit] + "\n[... {} characters dropped]".format(
        len(text) - limit)


class Worker:
    """Serves grader requests one at a time."""

    def __init__(self, config):
        import IPython

        self.rfd = config["rfd"]
        self.wfd = config["wfd"]
        self.max_output = config["max_output_chars"]
        self.max_message = config["max_message_bytes"]
        self.pid = os.getpid()
        self.harness = (os.path.dirname(IPython.__file__), os.path.abspath(__file__))
        self.shell = make_shell()
        self.streams = (sys.stdout, sys.stderr)

    def remote_error(self, exc):
        frames = traceback.extract_tb(exc.__traceback__)
        # Leading frames are IPython's and ours; the student sees only theirs.
        while frames and frames[0].filename.startswith(self.harness):
            frames = frames[1:]
        lines = []
        if frames:
            lines.append("Traceback (most recent call last):\n")
            lines.extend(traceback.format_list(frames))
        try:
            lines.extend(traceback.format_exception_only(type(exc), exc))
        except BaseException:
            lines.append(type(exc).__name__ + "\n")
        return {"ename": type(exc).__name__[:wire.MAX_TYPENAME],
                "evalue": clip(safe_str(exc), MAX_EVALUE),
                "traceback": clip("".join(lines), MAX_TRACEBACK)}

    def captured(self):
        out, err = Capture(self.max_output), Capture(self.max_output)
        sys.stdout, sys.stderr = out, err
        return out, err

    def restore(self):
        sys.stdout, sys.stderr = self.streams

    def run_cell(self, request):
        out, err = self.captured()
        try:
            result = self.shell.run_cell(request["source"], store_history=True)
        finally:
            self.restore()
        exc = result.error_before_exec or result.error_in_exec
        return {"status": "error" if exc is not None else "ok",
                "stdout": out.getvalue(), "stderr": err.getvalue(),
                "error": self.remote_error(exc) if exc is not None else None}

    def lookup(self, request, out):
        found = {}
        for name in request["names"]:
            if name not in self.shell.user_ns:
                found[name] = ["missing", None]
                continue
            value = self.shell.user_ns[name]
            if callable(value):
                found[name] = ["function", None]
                continue
            encoded = wire.encode(value, out)
            if isinstance(encoded, dict) and encoded.get("$") == "opaque":
                found[name] = ["unsupported", encoded["type"]]
            else:
                found[name] = ["value", encoded]
        return {"results": found}

    def call(self, request, out):
        name = request["name"]
        func = self.shell.user_ns.get(name)
        if not callable(func):
            exc = NameError("{!r} is not a callable defined by the submission".format(name))
            return {"status": "error", "error": self.remote_error(exc), "output": ""}
        args = wire.decode(request["args"], request["incoming"])
        kwargs = wire.decode(request["kwargs"], request["incoming"])
        out_stream, err = self.captured()
        try:
            value = func(*args, **kwargs)
        except BaseException as exc:
            self.restore()
            return {"status": "error", "error": self.remote_error(exc),
                    "output": out_stream.getvalue() + err.getvalue()}
        self.restore()
        return {"status": "ok", "value": wire.encode(value, out),
                "output": out_stream.getvalue() + err.getvalue()}

    def reply(self, build, request_id=None, caps=None):
        """Send what *build(out)* returns, or an error if the grader would not read that much."""
        out = wire.Outgoing()
        message = dict(build(out), id=request_id)
        # A process forked by student code (inside build) must never speak for the worker.
        if os.getpid() != self.pid:
            os._exit(0)
        payload = wire.dumps(message)
        if caps is not None and (len(payload) > caps.json_bytes or out.size > caps.binary_bytes
                                 or wire.json_items(payload) > caps.json_items):
            error = {"ename": "ResultTooLarge", "evalue": "the result is {} bytes of JSON and {} "
                     "bytes of arrays, more than the grader reads ({} and {})".format(
                         len(payload), out.size, caps.json_bytes, caps.binary_bytes),
                     "traceback": ""}
            out = wire.Outgoing()
            payload = wire.dumps({"status": "error", "error": error, "output": "",
                                  "stdout": "", "stderr": "", "id": request_id})
        wire.send(self.wfd, payload, out)

    def serve(self):
        handlers = {"run_cell": lambda request, out: self.run_cell(request),
                    "lookup": self.lookup, "call": self.call}
        self.reply(lambda out: {"status": "ready", "pid": self.pid})
        caps = wire.Caps(self.max_message, None, self.max_message)
        while True:
            try:
                payload, incoming = wire.recv(self.rfd, caps)
            except wire.PeerClosed:
                return
            request = wire.loads(payload)
            request["incoming"] = incoming
            self.reply(lambda out: handlers[request["op"]](request, out), request["id"],
                       wire.Caps(*request["caps"]))


def silence_standard_fds():
    """Point fds 1 and 2 at /dev/null so student code cannot fill a host file."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)


def run(config):
    """Serve the grader until it closes the pipe."""
    worker = Worker(config)
    silence_standard_fds()
    # Like a Jupyter kernel, let the submission import modules from its folder.
    sys.path.insert(0, "")
    worker.serve()


if __name__ == "__main__":
    run(json.loads(sys.argv[1]))
