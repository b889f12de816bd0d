"""A throw-away PostgreSQL server on loopback, for the tests that use a PostgreSQL gradebook."""
import glob
import os
import shutil
import socket
import subprocess
import tempfile


class Unavailable(Exception):
    """Why no server can be started here."""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _binary(name):
    # Debian installs the server binaries outside PATH.
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return shutil.which(name) or (candidates[-1] if candidates else None)


class Server:
    """``with Server() as server: server.create_database("x")`` -> a SQLAlchemy URL."""

    def __init__(self):
        try:
            import psycopg2  # noqa: F401
        except ImportError as error:
            raise Unavailable(f"psycopg2 is not installed: {error}")
        self.initdb, self.pg_ctl = _binary("initdb"), _binary("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            raise Unavailable("no PostgreSQL server binaries (apt-get install postgresql)")
        # PostgreSQL refuses to run as root.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.top = self.data = None
        self.port = free_port()

    def __enter__(self):
        # Outside pytest's tmp_path, whose private parents the postgres user cannot enter.
        self.top = tempfile.mkdtemp(prefix="initgrader-pg-")
        self.data = os.path.join(self.top, "data")
        if self.as_user:
            shutil.chown(self.top, "postgres")
        try:
            self._run(self.initdb, "-D", self.data, "-A", "trust", "-U", "postgres")
            # The server inherits the output of pg_ctl: a log file, so no pipe is held open.
            self._run(self.pg_ctl, "-D", self.data, "-l", os.path.join(self.top, "server.log"),
                      "-o", f"-p {self.port} -h 127.0.0.1 -k {self.top}", "-w", "start")
        except Unavailable:
            self.__exit__()
            raise
        return self

    def _run(self, *argv):
        done = subprocess.run(self.as_user + list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        if done.returncode:
            raise Unavailable(f"{os.path.basename(argv[0])} failed: {done.stderr.strip()[-500:]}")

    def create_database(self, name):
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
        connection.autocommit = True
        connection.cursor().execute(f'CREATE DATABASE "{name}"')
        connection.close()
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{name}"

    def __exit__(self, *exc_info):
        if self.data and os.path.exists(os.path.join(self.data, "postmaster.pid")):
            subprocess.run(self.as_user + [self.pg_ctl, "-D", self.data, "-m", "immediate", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if self.top:
            shutil.rmtree(self.top, ignore_errors=True)
