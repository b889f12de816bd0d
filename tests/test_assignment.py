"""End to end through real nbgrader: release, plant the corpus, autograde, read the gradebook."""
import json
import re
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from corpus.loader import CORPUS, load
from support.classroom import class_roster, plant, plant_class, solution_answers
from support.course import KIT, KIT_ASSIGNMENT as ASSIGNMENT, nbgrader, new_course

NOTEBOOK = f"{ASSIGNMENT}.ipynb"
TEST_OF = {name: f"test_{name}" for name in (
    "initialize_parameters", "forward_propagation", "compute_cost", "backward_propagation", "update_parameters",
    "count_distinct_units", "inductive_step", "mean_activation_derivative", "initialize_parameters_deep")}

pytestmark = pytest.mark.slow


def scores(course):
    """student -> {grade id: auto score}, and grade id -> max score."""
    result, maximum = {}, {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for submission in gb.assignment_submissions(ASSIGNMENT):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.cell_type == "code":
                        result.setdefault(submission.student_id, {})[grade.name] = grade.auto_score
                        maximum[grade.name] = grade.max_score
    return result, maximum


def planted_notebook(course, files):
    """The release notebook with the corpus ``files`` in their cells and the instructor's answer elsewhere."""
    release = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    source = nbformat.read(course / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    return plant(release, solution_answers(source), files)


def submit(course, student, files, extra=None):
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(planted_notebook(course, files), folder / NOTEBOOK)
    (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    for name, text in (extra or {}).items():
        (folder / name).write_text(text)


# A submission that ships its own self_check.py, which would pass anything: grading must use the course's copy.
FORGED_SELF_CHECK = "def __getattr__(name):\n    return lambda *args, **kwargs: None\n"
FORGER = ("forged-self-check", CORPUS / "wrong" / "init_unit_pairs_jittered.py")
# Two students with the same mistake, whose message quotes a value computed from the inputs they were given.
TWINS = ("twin-a", "twin-b")
TWIN_FILE = CORPUS / "wrong" / "derivative_forgets_b1.py"


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    course = new_course(tmp_path_factory.mktemp("course"))
    plant_class(course, ASSIGNMENT)
    submit(course, FORGER[0], [FORGER[1]], extra={"self_check.py": FORGED_SELF_CHECK})
    for twin in TWINS:
        submit(course, twin, [TWIN_FILE])
    nbgrader(course, "autograde", ASSIGNMENT, "--log-level=WARN")
    return course, *scores(course)


def cell_metadata(course, student):
    nb = nbformat.read(course / "autograded" / student / ASSIGNMENT / NOTEBOOK, as_version=4)
    return {cell.metadata.nbgrader["grade_id"]: cell.metadata.get("initgrader", {})
            for cell in nb.cells if "nbgrader" in cell.metadata}


def test_solution_gets_every_point(graded_class):
    _, result, maximum = graded_class
    assert result["solution"] == maximum


def test_blank_release_gets_zero(graded_class):
    _, result, _ = graded_class
    assert set(result["blank"].values()) == {0}


@pytest.mark.parametrize("student,files", [(s, f) for s, f in class_roster() if f and f[0].parent.name == "correct"],
                         ids=lambda value: value if isinstance(value, str) else "")
def test_correct_alternative_gets_every_point(graded_class, student, files):
    _, result, maximum = graded_class
    assert result[student] == maximum


@pytest.mark.parametrize("student,files", [(s, f) for s, f in class_roster() if f and f[0].parent.name == "wrong"],
                         ids=lambda value: value if isinstance(value, str) else "")
def test_wrong_implementation_loses_points_only_where_wrong(graded_class, student, files):
    course, result, maximum = graded_class
    expected = load(files[0]).EXPECTED
    broken = {TEST_OF[name] for name in expected}
    for test, score in result[student].items():
        if test in broken:
            assert score == 0, f"{test} gave points to a wrong {test[5:]}"
        else:
            assert score == maximum[test], f"{test} lost points for a bug elsewhere"
    metadata = cell_metadata(course, student)
    for name, key in expected.items():
        assert metadata[TEST_OF[name]]["misconception"] == key, metadata[TEST_OF[name]]["message"]


def test_a_forged_self_check_changes_nothing(graded_class):
    course, result, maximum = graded_class
    student = FORGER[0]
    assert result[student]["test_initialize_parameters"] == 0
    assert {test: score for test, score in result[student].items() if test != "test_initialize_parameters"} == {
        test: score for test, score in maximum.items() if test != "test_initialize_parameters"}
    assert cell_metadata(course, student)["test_initialize_parameters"]["misconception"] == "near-copy-units"


def test_each_student_meets_inputs_of_their_own_and_a_regrade_meets_the_same(graded_class):
    course, result, _ = graded_class
    first, second = (cell_metadata(course, twin)["test_mean_activation_derivative"] for twin in TWINS)
    assert first["misconception"] == second["misconception"] == "wrong-derivative"
    assert result[TWINS[0]] == result[TWINS[1]]
    # the message quotes the expected value for the inputs drawn for that student
    assert first["message"] != second["message"]
    secret = (course / ".initgrader" / "secret").read_text()
    nbgrader(course, "autograde", ASSIGNMENT, "--force", "--student", TWINS[0], "--log-level=WARN")
    assert cell_metadata(course, TWINS[0])["test_mean_activation_derivative"]["message"] == first["message"]
    assert (course / ".initgrader" / "secret").read_text() == secret


def test_isolation_level_is_recorded(graded_class):
    course = graded_class[0]
    nb = nbformat.read(course / "autograded" / "solution" / ASSIGNMENT / NOTEBOOK, as_version=4)
    assert nb.metadata["initgrader"]["isolation"].startswith("namespaces")


def test_validate_passes_on_the_solution(tmp_path):
    course = new_course(tmp_path, generate=False)
    run = nbgrader(course, "validate", f"source/{ASSIGNMENT}/{NOTEBOOK}", check=False)
    assert run.returncode == 0 and "Success" in run.stdout, run.stdout + run.stderr


def test_validate_names_the_mistake_in_its_own_cell(tmp_path):
    """nbgrader validate in the student's folder: the visible test of the broken function fails with the hidden
    check's message, and only that one."""
    course = new_course(tmp_path)
    folder = course / "student"
    shutil.copytree(course / "release" / ASSIGNMENT, folder)
    wrong = [CORPUS / "wrong" / "init_w2_shuffled_w1.py", CORPUS / "wrong" / "backward_tanh_derivative_1_minus_a1.py"]
    nbformat.write(planted_notebook(course, wrong), folder / NOTEBOOK)
    run = nbgrader(folder, "validate", NOTEBOOK, check=False)
    report = " ".join(run.stdout.split())
    assert "VALIDATION FAILED ON 2 CELL(S)" in run.stdout, run.stdout
    assert "the entries of W2 are those of W1 rearranged" in report, run.stdout
    assert "dW1 uses 1 - A1 as the derivative of tanh; it is 1 - A1**2" in report, run.stdout


def test_validate_fails_helpfully_on_the_blank_release(tmp_path):
    # the committed release: test_release_is_fresh holds it to what generate_assignment makes
    course = new_course(tmp_path, generate=False)
    shutil.copytree(KIT / "release", course / "release")
    run = nbgrader(course, "validate", f"release/{ASSIGNMENT}/{NOTEBOOK}", check=False)
    assert "NotImplementedError" in run.stdout and "test_initialize_parameters" not in run.stderr, run.stdout
    assert "VALIDATION FAILED" in run.stdout


SECRET = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS|MARK SCHEME)(.*?)### END \1", re.DOTALL)


def secret_lines():
    """Lines only the instructor may see: inside solution, hidden-test and mark-scheme regions, and nowhere else."""
    nb = nbformat.read(KIT / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    secret, public = set(), set()
    for cell in nb.cells:
        for _, body in SECRET.findall(cell.source):
            secret.update(line.strip() for line in body.splitlines())
        public.update(line.strip() for line in SECRET.sub("", cell.source).splitlines())
    return {line for line in secret - public if len(line) >= 8}


def test_release_leaks_nothing():
    lines = secret_lines()
    assert len(lines) > 40
    for path in (KIT / "release" / ASSIGNMENT).iterdir():
        text = path.read_text()
        if path.suffix == ".ipynb":
            text = "\n".join(cell.source for cell in nbformat.reads(text, as_version=4).cells)
        leaked = sorted(lines & {line.strip() for line in text.splitlines()})
        assert not leaked, f"{path.name} contains {leaked[:5]}"


def test_release_is_fresh(tmp_path):
    course = new_course(tmp_path)
    for path in (course / "release" / ASSIGNMENT).iterdir():
        committed = KIT / "release" / ASSIGNMENT / path.name
        assert committed.exists(), f"release/{ASSIGNMENT}/{path.name} is missing: run make release"
        if path.suffix == ".ipynb":
            same = json.loads(path.read_text()) == json.loads(committed.read_text())
        else:
            same = path.read_bytes() == committed.read_bytes()
        assert same, f"release/{ASSIGNMENT}/{path.name} is stale: run make release and commit it"
