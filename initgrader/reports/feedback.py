"""Make each check's verdict and message prominent in ``nbgrader generate_feedback``.

nbgrader's feedback page lists test cells as "Test cell" and leaves the
message at the bottom of a traceback. ``ShowCheckResults`` adds a summary
table at the top and a verdict box under every test cell. It runs after
nbgrader's ``GetGrades`` (which puts the scores in the cell metadata) and
adds HTML outputs only, so the student's notebook is otherwise untouched.
"""
from html import escape

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_code_cell, new_output
from traitlets import Bool

from initgrader.reports.collect import check_outcome, grading_notes

STYLE = (
    "<style>"
    ".ig-box{border-left:5px solid;padding:.5em .9em;margin:.4em 0 .8em;border-radius:3px;font-size:14px}"
    ".ig-passed{border-color:#2e7d32;background:#eef7ee}.ig-failed{border-color:#c62828;background:#fdeeee}"
    ".ig-notice{border-color:#ef8f00;background:#fff4e5}"
    ".ig-msg{font-family:monospace;white-space:pre-wrap;margin-top:.3em}"
    "table.ig-summary{border-collapse:collapse;margin:.5em 0 1em;font-size:14px}"
    "table.ig-summary td,table.ig-summary th{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left;vertical-align:top}"
    "</style>"
)

LABELS = {"passed": "Passed", "failed": "Failed", "error": "Error", "timeout": "Timed out",
          "crashed": "Crashed", "not-run": "Not run"}


def _is_test_cell(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def _html_output(html):
    return new_output("display_data", data={"text/html": html})


def _outcome(cell):
    meta = cell.metadata.nbgrader
    score, points = float(meta.get("score") or 0), float(meta.get("points") or 0)
    return check_outcome(cell, meta.get("grade_id", ""), score, points)


def _verdict(result):
    cls = "ig-passed" if result.passed else "ig-failed"
    label = LABELS.get(result.status, escape(result.status))
    message = f'<div class="ig-msg">{escape(result.message)}</div>' if result.message else ""
    return (f'<div class="ig-box {cls}"><b>{label}</b> · <code>{escape(result.name)}</code> · '
            f"{result.score:g} / {result.max_score:g} points{message}</div>")


def _summary(results, level, reasons):
    rows = "".join(
        f"<tr><td><code>{escape(r.name)}</code></td><td>{r.score:g} / {r.max_score:g}</td>"
        f"<td>{'✓ passed' if r.passed else '✗ ' + escape(r.status)}</td><td>{escape(r.message)}</td></tr>"
        for r in results)
    return (f"{STYLE}{_not_graded(reasons)}<h3>Checks</h3><table class=\"ig-summary\"><tr><th>Check</th>"
            f"<th>Score</th><th>Result</th><th>Message</th></tr>{rows}</table>{_isolation(level)}")


def _not_graded(reasons):
    """Why the submission was not graded in full (a timeout, an unreadable notebook, a missing answer)."""
    if not reasons:
        return ""
    items = "".join(f'<li class="ig-msg">{escape(reason)}</li>' for reason in reasons)
    return f'<div class="ig-box ig-notice"><b>Not fully graded</b><ul>{items}</ul></div>'


def _isolation(level):
    isolation = f"<code>{escape(level)}</code>" if level else "not recorded"
    return f"<p>Your code was run in isolation level: {isolation}.</p>"


class ShowCheckResults(Preprocessor):
    """Add a per-check summary at the top and a verdict box under each test cell."""

    # nbconvert skips preprocessors that are not enabled; listing this one is the opt-in.
    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        results = []
        for cell in nb.cells:
            if cell.cell_type == "code" and _is_test_cell(cell):
                result = _outcome(cell)
                results.append(result)
                cell.outputs.insert(0, _html_output(_verdict(result)))
        level, reasons = grading_notes(nb)
        if results or reasons:
            # The summary carries the CSS for every verdict box below it.
            summary = new_code_cell("", outputs=[_html_output(_summary(results, level, reasons))])
            summary.metadata["transient"] = {"remove_source": True}
            nb.cells.insert(0, summary)
        return nb, resources


def configure_feedback(c):
    """Append ShowCheckResults to ``nbgrader generate_feedback`` (call from nbgrader_config.py).

    Keeps whatever preprocessors the config already chose (e.g. ClearMarkScheme).
    """
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    # Classes, not import strings: nbgrader inspects their traits for --help-all.
    current = list(c.GenerateFeedback.get("preprocessors", [GetGrades, CSSHTMLHeaderPreprocessor]))
    if ShowCheckResults not in current:
        current.append(ShowCheckResults)
    c.GenerateFeedback.preprocessors = current
