"""Helpers for the real-browser end-to-end test (tests/test_browser.py).

Everything here is plain Python (no pytest fixtures) so it can be reused or
driven by hand:

* :func:`ensure_chromium` -- find /usr/bin/chromium, apt-install it as root.
* :func:`isolated_env` -- environment with private JUPYTER_* dirs.
* :func:`build_course` -- temp nbgrader course (real assignment when it exists
  and has a ``symmetry_proof`` cell, otherwise a toy one), generated, with one
  demo submission, autograded with the real ``nbgrader`` CLI.
* :class:`JupyterServer` -- a headless ``jupyter lab`` with the nbgrader server
  extensions, on a free 127.0.0.1 port, with a known token.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

# Where source/random_initialization/ and nbgrader_config.py are taken from
# (override only to try the fixture against another checkout).
REPO = Path(os.environ.get("INITGRADER_E2E_REPO") or Path(__file__).resolve().parents[2])
VENV_BIN = Path(sys.executable).parent  # .venv/bin when run with .venv/bin/python
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

ASSIGNMENT = "random_initialization"
MANUAL_GRADE_ID = "symmetry_proof"
STUDENT = "demo_student"
PROOF_TEXT = (
    "If every weight in a layer starts equal, every hidden unit computes the same "
    "function and receives the same gradient, so they stay identical forever."
)


# --------------------------------------------------------------------------- chromium
def ensure_chromium(timeout: float = 900) -> tuple[bool, str]:
    """Return (available, reason). Installs chromium with apt when running as root."""
    if CHROMIUM.exists():
        return True, "present"
    if os.geteuid() != 0:
        return False, f"{CHROMIUM} missing and not root, cannot apt-get install chromium"
    if shutil.which("apt-get") is None:
        return False, f"{CHROMIUM} missing and apt-get not available"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
            if proc.returncode != 0:
                tail = (proc.stdout + proc.stderr)[-800:]
                return False, f"`{' '.join(cmd)}` failed (rc={proc.returncode}): {tail}"
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"installing chromium failed: {exc}"
    if not CHROMIUM.exists():
        return False, f"apt-get install chromium succeeded but {CHROMIUM} is still missing"
    return True, "installed"


# --------------------------------------------------------------------------- env
def isolated_env(base: Path) -> dict[str, str]:
    """Environment with private Jupyter config/data/runtime dirs under *base*.

    The venv's own sys-prefix config (which enables the nbgrader server
    extensions and the prebuilt @jupyter/nbgrader labextension) is still read;
    we additionally enable the extensions explicitly in the private config dir
    so the test does not depend on that file.
    """
    dirs = {name: base / name for name in ("jupyter_config", "jupyter_data", "jupyter_runtime", "ipython")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(dirs["jupyter_config"]),
        JUPYTER_DATA_DIR=str(dirs["jupyter_data"]),
        JUPYTER_RUNTIME_DIR=str(dirs["jupyter_runtime"]),
        IPYTHONDIR=str(dirs["ipython"]),
        JUPYTER_PLATFORM_DIRS="1",
        # kernelspec argv is plain "python": make sure it is the venv's
        PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONUNBUFFERED="1",
    )
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    cfg = dirs["jupyter_config"]
    (cfg / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "ServerApp": {
                    "jpserver_extensions": {
                        "jupyterlab": True,
                        "jupyter_lsp": False,
                        "nbgrader.server_extensions.formgrader": True,
                        "nbgrader.server_extensions.validate_assignment": True,
                        "nbgrader.server_extensions.assignment_list": True,
                        "nbgrader.server_extensions.course_list": True,
                    }
                }
            },
            indent=2,
        )
    )
    # JupyterLab: no news toast, no update check popups.
    notif = cfg / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    notif.mkdir(parents=True, exist_ok=True)
    (notif / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    return env


def nbgrader(env: dict, course: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    cmd = [str(VENV_BIN / "nbgrader"), *args]
    proc = subprocess.run(cmd, cwd=course, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} failed (rc={proc.returncode})\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return proc


# --------------------------------------------------------------------------- course
@dataclass
class Course:
    root: Path
    assignment: str
    notebook: str  # notebook id (file stem)
    kind: str  # "real" or "toy"
    heading: str  # a markdown heading text visible in the released notebook
    student: str = STUDENT
    manual_grade_id: str = MANUAL_GRADE_ID
    manual_max_points: float = 0.0
    log: list = field(default_factory=list)

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    @property
    def release_nb(self) -> Path:
        return self.root / "release" / self.assignment / f"{self.notebook}.ipynb"


def _md(src, **nbg):
    cell = nbformat.v4.new_markdown_cell(src)
    if nbg:
        cell.metadata["nbgrader"] = dict(schema_version=3, **nbg)
    return cell


def _code(src, **nbg):
    cell = nbformat.v4.new_code_cell(src)
    if nbg:
        cell.metadata["nbgrader"] = dict(schema_version=3, **nbg)
    return cell


TOY_HEADING = "Random initialization (toy course)"
TOY_SOLUTIONS = {
    "init_weights": "def init_weights(n_in, n_out, seed=0):\n"
    "    rng = np.random.default_rng(seed)\n"
    "    return rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_out))\n",
}


def toy_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [
        _md(f"# {TOY_HEADING}\n\nImplement `init_weights` and prove the symmetry claim."),
        _code("import numpy as np\nprint('numpy', np.__version__)"),
        _code("x = np.arange(6).reshape(2, 3)\nx.sum()"),
        _code(
            "def init_weights(n_in, n_out, seed=0):\n"
            "    ### BEGIN SOLUTION\n"
            "    rng = np.random.default_rng(seed)\n"
            "    return rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_out))\n"
            "    ### END SOLUTION",
            grade=False, solution=True, locked=False, grade_id="init_weights",
        ),
        _code(
            "W = init_weights(4, 3)\nassert W.shape == (4, 3)\nassert len(np.unique(W)) == W.size",
            grade=True, solution=False, locked=True, points=1, grade_id="test_init_weights",
        ),
        _md("## Symmetry\n\nProve that a constant initialization never breaks symmetry.", grade=False,
            solution=False, locked=True, grade_id="symmetry_prompt"),
        _md(
            "Model answer: identical units receive identical gradients, so a constant "
            "initialization keeps them identical after every update.",
            grade=True, solution=True, locked=False, points=5, grade_id=MANUAL_GRADE_ID,
        ),
    ]
    return nb


def _real_source_dir() -> Path | None:
    src = REPO / "source" / ASSIGNMENT
    if not src.is_dir():
        return None
    for nb_path in sorted(src.glob("*.ipynb")):
        try:
            nb = nbformat.read(nb_path, as_version=4)
        except Exception:
            continue
        for cell in nb.cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == MANUAL_GRADE_ID:
                return src
    return None


def _notebook_with_grade_id(directory: Path) -> Path:
    for nb_path in sorted(directory.glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        if any(c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == MANUAL_GRADE_ID for c in nb.cells):
            return nb_path
    raise FileNotFoundError(f"no notebook with grade_id {MANUAL_GRADE_ID} in {directory}")


def _first_heading(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            s = line.strip()
            if s.startswith("#"):
                text = s.lstrip("#").strip()
                if text:
                    return text
    return ""


def populate_course(root: Path, prefer_real: bool = True) -> tuple[str, str, str]:
    """Write source/<assignment>/ and nbgrader_config.py into *root*.

    Returns (kind, notebook_id, heading). This is the single switch point
    between the real assignment and the toy one.
    """
    real = _real_source_dir() if prefer_real else None
    dst = root / "source" / ASSIGNMENT
    if real is not None:
        shutil.copytree(real, dst, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        cfg = REPO / "nbgrader_config.py"
        if cfg.exists():
            shutil.copy2(cfg, root / "nbgrader_config.py")
        # Force the course root/db to the temp course whatever the repo config says.
        with open(root / "nbgrader_config.py", "a") as fh:
            fh.write(
                "\n# --- appended by tests/browser/e2e_support.py ---\n"
                "c = get_config()\n"
                f"c.CourseDirectory.root = {str(root)!r}\n"
                f"c.CourseDirectory.db_url = {('sqlite:///' + str(root / 'gradebook.db'))!r}\n"
            )
        nb_path = _notebook_with_grade_id(dst)
        return "real", nb_path.stem, _first_heading(nbformat.read(nb_path, as_version=4))
    dst.mkdir(parents=True)
    nb = toy_notebook()
    nbformat.write(nb, dst / f"{ASSIGNMENT}.ipynb")
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'initgrader_toy'\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.db_url = {('sqlite:///' + str(root / 'gradebook.db'))!r}\n"
        "c.ExecutePreprocessor.timeout = 120\n"
        f"c.Exchange.root = {str(root / 'exchange')!r}\n"
    )
    return "toy", ASSIGNMENT, TOY_HEADING


def _make_submission(course: Course, solutions: dict[str, str]) -> None:
    """Student submission = the released folder (helper files included, as a
    student fetches it) with answers filled in by grade_id."""
    sub = course.root / "submitted" / course.student / course.assignment
    sub.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(course.release_nb.parent, sub, dirs_exist_ok=True)
    nb = nbformat.read(course.release_nb, as_version=4)
    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in solutions:
            cell.source = solutions[gid]
    nbformat.write(nb, sub / f"{course.notebook}.ipynb")
    (sub / "timestamp.txt").write_text("2024-01-01 12:00:00.000000 UTC")


def prepare_course(root: Path, prefer_real: bool = True) -> Course:
    """Files only (source + config); no nbgrader run yet."""
    root.mkdir(parents=True, exist_ok=True)
    kind, nb_id, heading = populate_course(root, prefer_real=prefer_real)
    return Course(root=root, assignment=ASSIGNMENT, notebook=nb_id, kind=kind, heading=heading)


def build_course(root: Path, env: dict, prefer_real: bool = True) -> Course:
    """prepare_course + grade_course."""
    return grade_course(prepare_course(root, prefer_real), env)


def grade_course(course: Course, env: dict, plant_more=None) -> Course:
    """Real ``nbgrader generate_assignment``, plant the demo submission, real ``nbgrader autograde``.

    ``plant_more(course)``, if given, writes more submissions before autograding.
    """
    root = course.root
    kind = course.kind
    run = lambda *a, **k: course.log.append(nbgrader(env, root, *a, **k))  # noqa: E731
    # Each nbgrader CLI start costs ~5 s here, so only two calls: generate_assignment
    # adds the assignment to the gradebook, autograde creates the students.
    run("generate_assignment", ASSIGNMENT, "--force")
    solutions = {MANUAL_GRADE_ID: PROOF_TEXT}
    if kind == "toy":
        solutions.update(TOY_SOLUTIONS)
    _make_submission(course, solutions)
    if plant_more is not None:
        plant_more(course)
    run("autograde", ASSIGNMENT, "--force", timeout=900)
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        nb = gb.find_notebook(course.notebook, course.assignment)
        for gc in nb.grade_cells:
            if gc.name == MANUAL_GRADE_ID:
                course.manual_max_points = float(gc.max_score)
    return course


# --------------------------------------------------------------------------- server
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterServer:
    """``jupyter lab`` headless, token auth with a known token, killed on stop()."""

    def __init__(self, root: Path, env: dict, log_path: Path):
        self.root = root
        self.env = env
        self.log_path = log_path
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.proc: subprocess.Popen | None = None
        self._log = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str, auth: bool = False) -> str:
        path = "/" + path.lstrip("/")
        if auth:
            path += ("&" if "?" in path else "?") + f"token={self.token}"
        return self.base + path

    def start(self, timeout: float = 90) -> "JupyterServer":
        self.launch()
        return self.wait_ready(timeout)

    def launch(self) -> "JupyterServer":
        """Start the process without waiting (so it can boot while nbgrader runs)."""
        cmd = [
            str(VENV_BIN / "jupyter"), "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={self.root}",
            f"--IdentityProvider.token={self.token}",
            "--ServerApp.password=",
            "--ServerApp.open_browser=False",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--ServerApp.terminals_enabled=False",
        ]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            cmd, cwd=self.root, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_ready(self, timeout: float = 90) -> "JupyterServer":
        assert self.proc is not None, "launch() first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited rc={self.proc.returncode}:\n{self.read_log()}")
            try:
                with urllib.request.urlopen(self.url("/api/status", auth=True), timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"jupyter lab did not come up in {timeout}s:\n{self.read_log()}")

    def read_log(self) -> str:
        try:
            return self.log_path.read_text()[-6000:]
        except OSError:
            return ""

    def _api(self, method: str, path: str):
        req = urllib.request.Request(self.url(path, auth=True), method=method)
        with urllib.request.urlopen(req, timeout=5) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Kernels run in their own sessions; shut them down through the REST API."""
        try:
            for k in self._api("GET", "/api/kernels") or []:
                self._api("DELETE", f"/api/kernels/{k['id']}")
        except (urllib.error.URLError, OSError, ValueError):
            pass

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.shutdown_kernels()
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            # its own session: signal the group so kernels it spawned die too
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None
