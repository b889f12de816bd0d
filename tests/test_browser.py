"""Real-browser end-to-end tests (headless system Chromium driven by Playwright).

1. Manual grading of the written proof (grade_id ``symmetry_proof``) in
   nbgrader's formgrader, checked against the gradebook database.
2. The released notebook opened and partly run in JupyterLab.
3. Submissions carrying script payloads (``tests/browser/payloads.py``) opened
   in the formgrader, in their feedback and in the class report: no payload
   runs, no grade changes, and the answer's math and formatting still show.

The course is built in a temp dir by ``tests/browser/e2e_support.py``: the real
``source/random_initialization`` assignment when it exists and contains a
``symmetry_proof`` cell, otherwise a toy notebook. Run with::

    .venv/bin/python -m pytest tests/test_browser.py -m slow -v

Screenshots land in each test's ``tmp_path`` (paths are printed; use ``-s``).
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from browser import e2e_support as e2e, payloads

pytestmark = [pytest.mark.slow, pytest.mark.timeout(420)]

UI_TIMEOUT_MS = 30_000
MANUAL_SCORE = 3.5
COMMENT = "Clear argument: identical units get identical gradients. (browser e2e)"


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def chromium_path() -> str:
    ok, reason = e2e.ensure_chromium()
    if not ok:
        pytest.skip(f"system Chromium unavailable: {reason}")
    return str(e2e.CHROMIUM)


@pytest.fixture(scope="module")
def beacon():
    """The local listener a payload's request would reach."""
    with payloads.Beacon() as listener:
        yield listener


@pytest.fixture(scope="module")
def stack(tmp_path_factory, chromium_path, beacon):
    """(course, server): temp course graded by real nbgrader + a running jupyter lab.

    The real course also gets the hostile submissions of ``payloads`` (the toy
    course has no kit config to test). The server boots while nbgrader runs
    (the formgrader reads the gradebook per request); it is stopped in the
    finalizer whatever happens.
    """
    base = tmp_path_factory.mktemp("browser_e2e")
    env = e2e.isolated_env(base)
    prefer_real = os.environ.get("INITGRADER_E2E_TOY", "") not in ("1", "true", "yes")
    course = e2e.prepare_course(base / "course", prefer_real=prefer_real)
    print(f"\ncourse: {course.kind} ({course.root})")
    srv = e2e.JupyterServer(course.root, env, base / "jupyter_server.log")

    def plant_more(course):
        if course.kind == "real":
            payloads.plant(course.root, course.release_nb, course.notebook, course.assignment, beacon.port)

    try:
        srv.launch()
        e2e.grade_course(course, env, plant_more)
        if course.kind == "real":
            payloads.tamper(course.root, course.notebook, course.assignment, beacon.port)
            _give_hostile_names(course)
        srv.wait_ready()
        yield course, srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def markup_stack(stack):
    course, _ = stack
    if course.kind != "real":
        pytest.skip("the markup payloads test the kit's nbgrader_config.py, which the toy course does not use")
    return stack


@pytest.fixture(scope="module")
def browser(chromium_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, headless=True, args=e2e.CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, stack):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(UI_TIMEOUT_MS)
    # Hermetic: only the local Jupyter server is reachable. (The formgrader page
    # asks cdnjs for MathJax 2; offline it fails either way, this just fails fast.)
    ctx.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors  # type: ignore[attr-defined]
    try:
        yield pg
    finally:
        ctx.close()


class Shots:
    def __init__(self, page, directory: Path):
        self.page, self.dir, self.n = page, directory, 0

    def __call__(self, name: str) -> Path:
        self.n += 1
        path = self.dir / f"{self.n:02d}_{name}.png"
        self.page.screenshot(path=str(path), full_page=False)
        print(f"screenshot: {path}")
        keep = os.environ.get("INITGRADER_E2E_SHOTS")  # optional: keep a copy for CI artifacts
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, Path(keep) / f"{self.dir.name}_{path.name}")
        return path

    @contextlib.contextmanager
    def on_failure(self):
        """Screenshot the page as it was when an assertion/timeout fired."""
        try:
            yield
        except BaseException:
            try:
                self("FAILED")
            except Exception:
                pass
            raise


def _fmt(x: float) -> str:
    """Number as formgrader's roundToPrecision(x, 2) prints it (JS Number -> string)."""
    x = round(float(x), 2)
    return str(int(x)) if x == int(x) else repr(x)


def _submission_id(course, student=None):
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        return gb.find_submission_notebook(course.notebook, course.assignment, student or course.student).id


def _gradebook_state(course):
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        nb = gb.find_submission_notebook(course.notebook, course.assignment, course.student)
        grade = gb.find_grade(course.manual_grade_id, course.notebook, course.assignment, course.student)
        comment = gb.find_comment(course.manual_grade_id, course.notebook, course.assignment, course.student)
        asg = gb.find_submission(course.assignment, course.student)
        return dict(
            nb_score=float(nb.score),
            nb_max=float(nb.max_score),
            nb_written=float(nb.written_score),
            nb_written_max=float(nb.max_written_score),
            asg_score=float(asg.score),
            manual_score=grade.manual_score,
            auto_score=grade.auto_score,
            grade_score=float(grade.score),
            needs_manual_grade=grade.needs_manual_grade,
            comment=comment.manual_comment,
        )


# --------------------------------------------------------------------------- tests
def test_formgrader_manual_grading(stack, page, tmp_path):
    shot = Shots(page, tmp_path)
    with shot.on_failure():
        _formgrader_flow(*stack, page, shot)


def test_released_notebook_in_jupyterlab(stack, page, tmp_path):
    shot = Shots(page, tmp_path)
    with shot.on_failure():
        _jupyterlab_flow(*stack, page, shot)


def _formgrader_flow(course, server, page, shot):
    from playwright.sync_api import expect

    before = _gradebook_state(course)
    assert before["manual_score"] is None and before["needs_manual_grade"], before
    assert course.manual_max_points >= MANUAL_SCORE

    # Log in with the token; /formgrader redirects to Manage Assignments.
    page.goto(server.url("/formgrader", auth=True))
    page.wait_for_url("**/formgrader/manage_assignments**")
    page.locator("#main-table").get_by_text(course.assignment).first.wait_for()
    shot("manage_assignments")

    # Manual Grading -> assignment -> notebook -> the demo student's submission.
    page.get_by_role("link", name="Manual Grading", exact=True).click()
    page.wait_for_url("**/formgrader/gradebook")
    page.locator("#main-table a", has_text=course.assignment).first.click()
    page.wait_for_url(f"**/formgrader/gradebook/{course.assignment}")
    page.locator("#main-table a", has_text=course.notebook).first.click()
    page.wait_for_url(f"**/formgrader/gradebook/{course.assignment}/{course.notebook}")
    # the demo student's row: the course also holds the markup tests' submissions
    sub_link = page.locator(f"#main-table a[href*='/formgrader/submissions/{_submission_id(course)}']:visible")
    sub_link.wait_for()
    shot("notebook_submissions")
    sub_link.click()
    page.wait_for_url("**/formgrader/submissions/**")

    score = page.locator(f"input.score#{course.manual_grade_id}")
    comment = page.locator(f"textarea.comment#{course.manual_grade_id}-comment")
    score.wait_for()
    comment.wait_for()
    # The student's answer is rendered in the page.
    page.get_by_text(e2e.PROOF_TEXT[:40]).first.wait_for()
    score.scroll_into_view_if_needed()
    shot("submission_before")

    def is_put(fragment):
        return lambda r: fragment in r.url and r.request.method == "PUT"

    # Score: type it, leave the field -> "change" -> PUT /formgrader/api/grade/<id>.
    with page.expect_response(is_put("/formgrader/api/grade/")) as grade_resp:
        score.click()
        score.fill(str(MANUAL_SCORE))
        comment.click()  # blur the score input
    assert grade_resp.value.ok, grade_resp.value.status

    # Comment: type it, leave the field -> PUT /formgrader/api/comment/<id>.
    with page.expect_response(is_put("/formgrader/api/comment/")) as comment_resp:
        comment.type(COMMENT, delay=5)
        page.locator("body").click(position={"x": 5, "y": 300})
    assert comment_resp.value.ok, comment_resp.value.status
    time.sleep(0.3)
    score.scroll_into_view_if_needed()
    shot("submission_after_save")

    after = _gradebook_state(course)
    assert after["manual_score"] == pytest.approx(MANUAL_SCORE), after
    assert after["comment"] == COMMENT, after
    assert not after["needs_manual_grade"], after
    prev = before["grade_score"]
    assert after["nb_score"] == pytest.approx(before["nb_score"] - prev + MANUAL_SCORE), (before, after)
    assert after["asg_score"] == pytest.approx(before["asg_score"] - prev + MANUAL_SCORE), (before, after)

    # A fresh load of the page shows the stored values (they came from the server).
    page.reload()
    # values arrive by XHR after the inputs are rendered
    expect(score).to_have_value(re.compile(r"^3\.50*$"))
    expect(comment).to_have_value(COMMENT)

    # The notebook's submission list shows the new total.
    page.locator(".breadcrumb a", has_text=course.notebook).last.click()
    page.wait_for_url(f"**/formgrader/gradebook/{course.assignment}/{course.notebook}")
    overall = f"{_fmt(after['nb_score'])} / {_fmt(after['nb_max'])}"
    written = f"{_fmt(after['nb_written'])} / {_fmt(after['nb_written_max'])}"
    page.locator("#main-table tr", has_text=overall).filter(has_text=written).first.wait_for()
    shot("notebook_submissions_after")
    # MathJax 2 comes from cdnjs (blocked above): formgrade.js then throws
    # "MathJax is not defined" in configureScrolling. Anything else is a failure.
    unexpected = [e for e in page.js_errors if "MathJax" not in e]
    assert not unexpected, unexpected


def _jupyterlab_flow(course, server, page, shot):
    import nbformat

    rel = course.release_nb.relative_to(course.root).as_posix()
    assert course.release_nb.exists()
    assert "MARK SCHEME" not in course.release_nb.read_text(), "mark scheme leaked into the release"

    nb = nbformat.read(course.release_nb, as_version=4)
    code_idx = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    assert code_idx, "released notebook has no code cells"
    n_code = min(2, len(code_idx))
    n_run = code_idx[n_code - 1] + 1  # run cells 0..n_run-1 (covers the first n_code code cells)

    page.goto(server.url(f"/lab/tree/{rel}", auth=True))
    notebook = page.locator(".jp-NotebookPanel:visible .jp-Notebook")
    notebook.wait_for(timeout=60_000)

    # Kernel picker (only if the notebook lacks kernelspec metadata).
    dialog = page.locator(".jp-Dialog")
    try:
        dialog.wait_for(timeout=2_000)
        dialog.get_by_role("button", name="Select").click()
    except Exception:
        pass

    if course.heading:
        heading = notebook.locator(
            ".jp-RenderedMarkdown :is(h1,h2,h3,h4,h5,h6)", has_text=course.heading
        ).first
        heading.wait_for()
        assert heading.is_visible()
    # Wait for the kernel to be idle before running.
    page.locator(".jp-NotebookPanel:visible [data-status='idle'], "
                 ".jp-NotebookPanel:visible .jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        timeout=60_000
    )
    shot("lab_opened")

    cells = notebook.locator(".jp-Cell")
    # Select the first cell in command mode, then Shift+Enter through the first cells.
    cells.nth(0).locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    for _ in range(n_run):
        page.keyboard.press("Shift+Enter")
        time.sleep(0.15)

    # Every run code cell gets an execution count [k]: k=1..n_code, in order.
    for k, i in enumerate(code_idx[:n_code], start=1):
        prompt = cells.nth(i).locator(".jp-InputArea-prompt")
        page.wait_for_function(
            "([el, k]) => el && el.textContent.includes('[' + k + ']')",
            arg=[prompt.element_handle(), k],
            timeout=60_000,
        )
    shot("lab_after_run")

    run_cells = [cells.nth(i) for i in code_idx[:n_code]]
    errors = [e for c in run_cells for e in _error_outputs(c)]
    assert not errors, f"error output in the first code cells: {errors}"
    outputs = sum(c.locator(".jp-OutputArea-output").count() for c in run_cells)
    if course.kind == "toy":
        assert outputs >= 2
        assert "numpy" in run_cells[0].locator(".jp-OutputArea").inner_text()
        assert "15" in run_cells[1].locator(".jp-OutputArea").inner_text()
        # Self-check of the error detector: the released stub raises, so running
        # on to the test cell must show an error output there.
        test_cell = cells.nth(code_idx[3])
        for _ in range(code_idx[3] + 1 - n_run):
            page.keyboard.press("Shift+Enter")
            time.sleep(0.15)
        test_cell.locator(".jp-OutputArea-output").first.wait_for()
        page.wait_for_timeout(300)
        shot("lab_stub_error")
        assert any("NotImplementedError" in e for e in _error_outputs(test_cell)), _error_outputs(test_cell)
    assert not page.js_errors, page.js_errors


def _error_outputs(cell) -> list[str]:
    """Texts of error outputs in a JupyterLab cell. Lab renders a kernel error with
    the stderr renderer (data-mime-type=application/vnd.jupyter.stderr), like plain
    stderr; tell them apart by the traceback text (warnings have none)."""
    found = []
    for mime in ("application/vnd.jupyter.error", "application/vnd.jupyter.stderr"):
        loc = cell.locator(f".jp-OutputArea-output[data-mime-type='{mime}']")
        for i in range(loc.count()):
            text = loc.nth(i).inner_text()
            if mime.endswith("error") or "Traceback" in text or re.search(r"\w+(Error|Exception)\b", text):
                found.append(text[-300:])
    return found


# --------------------------------------------------------------------------- submitted markup
def _give_hostile_names(course):
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        gb.update_or_create_student(payloads.MARKUP_STUDENT, first_name=payloads.HOSTILE_NAME,
                                    last_name=payloads.HOSTILE_NAME)


def _grades(course, student):
    """Everything the formgrader's API could change for one student: scores, extra credit, comments, flags."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        nb = gb.find_submission_notebook(course.notebook, course.assignment, student)
        return ({g.name: (g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade) for g in nb.grades},
                {c.name: c.manual_comment for c in nb.comments}, nb.flagged)


class Watch:
    """Every sign that a payload ran: a dialog, a request to the beacon, a write to the formgrader's API."""

    def __init__(self, page, beacon):
        self.page, self.beacon, self.seen = page, beacon, len(beacon.hits)
        self.dialogs, self.writes = [], []
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: self.writes.append(f"{request.method} {request.url}")
                if request.method != "GET" and "/api/" in request.url else None)

    def assert_nothing_ran(self):
        # long enough for an SVG animation to begin and for requests to land
        self.page.wait_for_timeout(1500)
        ran = self.page.evaluate("top.__pwned || null")
        assert (ran, self.beacon.hits[self.seen:], self.dialogs, self.writes) == (None, [], [], [])
        assert self.page.locator("form, iframe, object, button.pwn-button, svg animate").count() == 0


def _click_payload_links(page, scope):
    """Click the links the payloads hid behind javascript: URLs; sanitized, they go nowhere."""
    for text in ("regrade", "entity link", "decimal entities", "reference link"):
        link = scope.locator("a", has_text=text)
        for i in range(link.count()):
            link.nth(i).click()


def _assert_answer_shows(answer):
    for tag, text in payloads.FORMATTING.items():
        assert answer.locator(tag, has_text=text).count() >= 1, (tag, text)
    shown = answer.inner_text()
    for math in payloads.MATH_TEXTS:
        assert math in shown, math


@pytest.mark.parametrize("student", [payloads.MARKUP_STUDENT, payloads.TAMPERED_STUDENT])
def test_formgrader_keeps_submitted_markup_inert(markup_stack, page, beacon, student, tmp_path):
    from playwright.sync_api import expect

    course, server = markup_stack
    shot = Shots(page, tmp_path)
    watch = Watch(page, beacon)
    before = _grades(course, student)
    with shot.on_failure():
        response = page.goto(server.url(f"/formgrader/submissions/{_submission_id(course, student)}/", auth=True))
        assert response.ok, response.status
        score = page.locator(f"input.score#{payloads.MANUAL_GRADE_ID}")
        answer = page.locator("div.nbgrader_cell", has=score)
        answer.get_by_text(payloads.PROOF_HEAD).wait_for()
        # the page finished its own set-up: it loads the stored score into the field
        page.wait_for_load_state("networkidle")
        shot(f"{student}_formgrader")
        _click_payload_links(page, answer)
        watch.assert_nothing_ran()
        expect(score).to_be_visible()
        _assert_answer_shows(answer)
        if student == payloads.TAMPERED_STUDENT:
            assert "plain text survives" in page.inner_text("body")
    assert _grades(course, student) == before
    unexpected = [e for e in page.js_errors if "MathJax" not in e]
    assert not unexpected, unexpected


def test_formgrader_never_shows_a_student_id_that_is_markup(markup_stack, page, beacon):
    from nbgrader.api import Gradebook

    course, server = markup_stack
    with Gradebook(course.db_url) as gb:
        assert payloads.UNSAFE_ID not in {s.id for s in gb.students}
    watch = Watch(page, beacon)
    page.goto(server.url("/formgrader/manage_students", auth=True))
    page.locator("#main-table").get_by_text(payloads.MARKUP_STUDENT).wait_for()
    page.wait_for_load_state("networkidle")
    watch.assert_nothing_ran()


@pytest.fixture(scope="module")
def feedback(markup_stack):
    course, server = markup_stack
    e2e.nbgrader(server.env, course.root, "generate_feedback", course.assignment, "--force", timeout=600)
    return course.root / "feedback"


@pytest.fixture
def file_page(browser):
    """A page for files on disk; only the loopback interface is reachable from it."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(UI_TIMEOUT_MS)
    ctx.route(re.compile(r"^(?!(https?://127\.0\.0\.1[:/]|file://)).*"), lambda route: route.abort())
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


@pytest.mark.parametrize("student", [payloads.MARKUP_STUDENT, payloads.TAMPERED_STUDENT, payloads.RENAMED_STUDENT])
def test_feedback_keeps_submitted_markup_inert(markup_stack, feedback, file_page, beacon, student, tmp_path):
    course, _ = markup_stack
    shot = Shots(file_page, tmp_path)
    watch = Watch(file_page, beacon)
    with shot.on_failure():
        file_page.goto((feedback / student / course.assignment / f"{course.notebook}.html").as_uri())
        file_page.get_by_text("Checks").first.wait_for()
        shot(f"{student}_feedback")
        body = file_page.inner_text("body")
        assert "isolation level" in body
        if student == payloads.RENAMED_STUDENT:
            # the reason quotes the file name the student gave, as text
            assert "Not fully graded" in body and payloads.RENAMED_NOTEBOOK in body
        else:
            _assert_answer_shows(file_page.locator("div.nbgrader_cell", has_text=payloads.PROOF_HEAD))
            _click_payload_links(file_page, file_page.locator("body"))
        watch.assert_nothing_ran()


def test_report_keeps_submitted_markup_inert(markup_stack, file_page, beacon, tmp_path):
    from nbgrader.api import Gradebook

    from initgrader.reports import command
    from support.apps import load_course

    course, _ = markup_stack
    # a gradebook from before the kit refused such ids may still list one
    copy = shutil.copytree(course.root, tmp_path / "course", ignore=shutil.ignore_patterns("feedback", "submitted"))
    with Gradebook(f"sqlite:///{copy / 'gradebook.db'}") as gb:
        gb.update_or_create_student(payloads.UNSAFE_ID)
    # the copy's config names the original course; the command line wins, as for any nbgrader command
    coursedir = load_course(copy, f"--CourseDirectory.root={copy}",
                            f"--CourseDirectory.db_url=sqlite:///{copy / 'gradebook.db'}")
    command.build(coursedir, course.assignment, tmp_path / "report")
    watch = Watch(file_page, beacon)
    file_page.goto((tmp_path / "report" / "index.html").as_uri())
    file_page.get_by_text("Not fully graded").first.wait_for()
    body = file_page.inner_text("body")
    for text in (payloads.UNSAFE_ID, payloads.RENAMED_NOTEBOOK, "Isolation"):
        assert text in body, text
    watch.assert_nothing_ran()
