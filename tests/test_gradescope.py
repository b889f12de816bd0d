"""Gradescope deployment: the autograder zip, and run_autograder on a simulated /autograder tree.

The end-to-end runs unpack the zip built by ``make gradescope`` into a
temporary root laid out as Gradescope lays out /autograder, and run its
``run_autograder`` with this checkout's environment standing in for the one
``setup.sh`` installs: as root with namespaces, and under a seccomp filter
modelled on Docker's default profile, which is what Gradescope's containers have.
"""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import nbformat
import pytest

from support.classroom import plant, solution_answers
from initgrader.reports.collect import Check, CheckResult, ClassResults, Submission
from initgrader.sandbox import IsolationUnavailable, choose_level
from support import confine

KIT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "random_initialization"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
SOURCE_NOTEBOOK = KIT / "source" / ASSIGNMENT / NOTEBOOK
RELEASE_NOTEBOOK = KIT / "release" / ASSIGNMENT / NOTEBOOK
ZIP_SECRET = "a-course-secret-for-the-zip"
CHECKS = ["test_initialize_parameters", "test_forward_propagation", "test_compute_cost", "test_backward_propagation",
          "test_update_parameters", "test_count_distinct_units", "test_inductive_step",
          "test_mean_activation_derivative", "test_initialize_parameters_deep"]

# Gradescope's results.json, from its autograder specification ("Output format").
VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}
TEST_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "score": {"type": "number"},
        "max_score": {"type": "number"},
        "status": {"enum": ["passed", "failed"]},
        "name": {"type": "string"},
        "name_format": FORMAT,
        "number": {"type": "string"},
        "output": {"type": "string"},
        "output_format": FORMAT,
        "tags": {"type": "array", "items": {"type": "string"}},
        "visibility": VISIBILITY,
        "extra_data": {"type": "object"},
    },
}
RESULTS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    # the score is required at the top level unless every test carries one
    "anyOf": [{"required": ["score"]},
              {"required": ["tests"], "properties": {"tests": {"items": {"required": ["score"]}}}}],
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "output_format": FORMAT,
        "test_output_format": FORMAT,
        "test_name_format": FORMAT,
        "visibility": VISIBILITY,
        "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": TEST_SCHEMA},
        "leaderboard": {"type": "array", "items": {
            "type": "object", "required": ["name", "value"], "additionalProperties": False,
            "properties": {"name": {"type": "string"}, "value": {"type": ["number", "string"]},
                           "order": {"enum": ["asc", "desc"]}}}},
    },
}
# What the kit promises on top of the specification: every check fully described, all of it plain text.
KIT_TEST_FIELDS = {"number", "name", "name_format", "score", "max_score", "status", "output", "output_format",
                   "visibility"}


def load_autograde():
    spec = importlib.util.spec_from_file_location("gradescope_autograde", KIT / "gradescope" / "autograde.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def validate(data):
    jsonschema.validate(data, RESULTS_SCHEMA)
    assert data["output_format"] == data["test_output_format"] == data["test_name_format"] == "text"
    for test in data["tests"]:
        assert set(test) == KIT_TEST_FIELDS and test["output_format"] == test["name_format"] == "text"
    assert data["score"] == sum(test["score"] for test in data["tests"])


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    target = tmp_path_factory.mktemp("zip") / "autograder.zip"
    subprocess.run([sys.executable, str(KIT / "gradescope" / "build.py"), str(target)], check=True,
                   capture_output=True, env=dict(os.environ, INITGRADER_SECRET=ZIP_SECRET))
    return target


# ---------------------------------------------------------------- fast tests

def test_zip_has_gradescopes_layout(autograder_zip, tmp_path):
    with zipfile.ZipFile(autograder_zip) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        archive.extractall(tmp_path)
    assert {"setup.sh", "run_autograder", "autograde.py", "nbgrader_config.py", "requirements/runtime.txt",
            "kit/pyproject.toml", "kit/initgrader/plugins/sanitize.py", f"source/{ASSIGNMENT}/{NOTEBOOK}",
            f"source/{ASSIGNMENT}/lesson_tools.py"} <= names
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    # the course secret, so that a regrade on Gradescope draws the hidden inputs of the course's own runs
    assert modes[".initgrader/secret"] & 0o077 == 0
    assert (tmp_path / ".initgrader" / "secret").read_text() == ZIP_SECRET + "\n"
    assert not any("__pycache__" in name or name.startswith("/") or ".." in name for name in names)
    for script in ("setup.sh", "run_autograder"):
        subprocess.run(["bash", "-n", str(tmp_path / script)], check=True)
    # the lock file is what setup.sh installs, whole
    assert "nh3==" in (tmp_path / "requirements" / "runtime.txt").read_text()


def test_results_json_follows_the_specification():
    autograde = load_autograde()
    hostile = "<img src=x onerror=alert(1)>"
    checks = [Check("test_a", "nb", 2.0), Check("test_b", "nb", 3.0)]
    sub = Submission("student", 2.0, 10.0, True, seconds=3.6, isolation_level="namespaces",
                     reasons=[f"Not graded: found {hostile}.ipynb"])
    sub.checks = {"test_a": CheckResult("test_a", 2.0, 2.0, "passed"),
                  "test_b": CheckResult("test_b", 0.0, 3.0, "timeout", f"took too long {hostile}", None)}
    data = autograde.results_json(ClassResults("a", 10.0, checks, [sub], ["student"]),
                                  [("proof", 5.0, None)], ["Graded 'x (1).ipynb' as a.ipynb."])
    validate(data)
    assert data["score"] == 2.0 and data["execution_time"] == 4
    assert [t["status"] for t in data["tests"]] == ["passed", "failed"]
    assert data["tests"][1]["output"] == f"Timed out.\ntook too long {hostile}"
    assert "proof (5 points) is graded by hand" in data["output"] and hostile in data["output"]
    assert data["extra_data"]["written_answers"] == [{"name": "proof", "max_score": 5.0, "score": None}]


# ---------------------------------------------------------------- run_autograder on a simulated tree

def notebook(files=(), answers=None):
    source = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    release = nbformat.read(RELEASE_NOTEBOOK, as_version=4)
    return plant(release, {**solution_answers(source), **(answers or {})}, files)


def hostile_submission(root, folder):
    """Tries to read the source, to write results.json itself and to print fake results."""
    source_copy = root / "source" / "source" / ASSIGNMENT / NOTEBOOK
    targets = [str(root / "results" / "results.json"), "/autograder/results/results.json"]
    code = f"""import json
leaked = []
for path in {[str(source_copy), f"/autograder/source/source/{ASSIGNMENT}/{NOTEBOOK}", "notes.txt"]!r}:
    try:
        leaked.append(open(path).read())
    except Exception as error:
        leaked.append(type(error).__name__)
for path in {targets!r}:
    try:
        with open(path, "w") as handle:
            json.dump({{"score": 31337, "tests": []}}, handle)
    except Exception as error:
        leaked.append(type(error).__name__)
print(json.dumps({{"score": 31337, "output": "FAKE RESULTS", "tests": []}}))


def initialize_parameters(n_x, n_h, n_y):
    raise RuntimeError("LEAK:" + "|".join(leaked))
"""
    nb = notebook(answers={"initialize_parameters": code,
                           "symmetry_proof": "<img src=x onerror=alert(1)> $a < b$ **proof**"})
    nbformat.write(nb, folder / NOTEBOOK)
    (folder / "notes.txt").symlink_to(source_copy)
    (folder / "results.json").write_text(json.dumps({"score": 31337, "tests": []}))


def run_autograder(root, no_namespaces=False):
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_VENV=sys.prefix)
    argv = [str(root / "run_autograder")]
    if no_namespaces:
        # Gradescope's containers: root, but with Docker's capabilities and seccomp profile, and a system
        # Python every uid can run (this machine's interpreter lives under /root)
        argv = confine.command(argv, no_namespaces=True, docker_caps=True, public_python=True)
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)
    results = root / "results" / "results.json"
    assert proc.returncode == 0 and results.is_file(), proc.stdout + proc.stderr
    return json.loads(results.read_text()), proc.stdout


def simulated_root(base, autograder_zip, name, submit):
    root = base / name
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")
    # Gradescope copies the script to /autograder and makes /autograder/submission itself
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    os.chmod(root / "run_autograder", 0o755)
    (root / "submission").mkdir()
    submit(root, root / "submission")
    return root


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("no_namespaces", [False, True],
                         ids=["root-with-namespaces", "docker-seccomp-no-namespaces"])
def test_run_autograder_on_a_simulated_tree(tmp_path, autograder_zip, no_namespaces):
    if no_namespaces:
        reason = confine.why_not(no_namespaces=True, docker_caps=True, public_python=True)
        if reason:
            pytest.skip(reason)
    else:
        try:
            choose_level("namespaces")
        except IsolationUnavailable:
            pytest.skip("this machine cannot build namespace sandboxes (needs root or user namespaces)")

    def correct(root, folder):
        nbformat.write(notebook(), folder / NOTEBOOK)

    def wrong(root, folder):
        # uploaded under the name a browser gives a second download
        nbformat.write(notebook([KIT / "tests" / "corpus" / "wrong" / "init_zero_weights.py"]),
                       folder / f"{ASSIGNMENT} (1).ipynb")

    runs = {name: run_autograder(simulated_root(tmp_path, autograder_zip, name, submit), no_namespaces)
            for name, submit in [("correct", correct), ("wrong", wrong), ("hostile", hostile_submission)]}
    for data, _ in runs.values():
        validate(data)
        assert [t["name"] for t in data["tests"]] == CHECKS
        assert "symmetry_proof (5 points) is graded by hand" in data["output"]

    correct_data, _ = runs["correct"]
    assert correct_data["score"] == 24 and {t["status"] for t in correct_data["tests"]} == {"passed"}

    wrong_data, _ = runs["wrong"]
    assert wrong_data["score"] == 20 and f"Graded '{ASSIGNMENT} (1).ipynb' as {NOTEBOOK}." in wrong_data["output"]
    first = wrong_data["tests"][0]
    assert (first["status"], first["score"]) == ("failed", 0.0)
    assert first["output"].startswith("Failed.\nMisconception: zero-weights\nevery entry of W1 is 0")

    hostile_data, stdout = runs["hostile"]
    text = json.dumps(hostile_data) + stdout
    assert hostile_data["score"] < 24 and hostile_data["tests"][0]["score"] == 0
    # the message channel works (so what it lacks is meaningful): nothing was readable, nothing writable
    assert "LEAK:" in hostile_data["tests"][0]["output"]
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "MARK SCHEME", "31337", "FAKE RESULTS"):
        assert secret not in text, secret
