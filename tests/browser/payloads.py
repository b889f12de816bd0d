"""Hostile submissions for the browser tests, and the ways a payload could show that it ran.

Every payload, if it ran, would leave a trace the test can see: a name in
``window.__pwned``, a request to a local listener, a dialog, or a request to
the formgrader's API that changes a grade. Each is planted in a real course
before ``nbgrader autograde`` runs (``MARKUP_STUDENT``, ``RENAMED_STUDENT``,
``UNSAFE_ID``), or written into an already graded notebook afterwards
(``TAMPERED_STUDENT``, a notebook graded without the kit's sanitize step).
"""
from __future__ import annotations

import http.server
import shutil
import threading
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output

MARKUP_STUDENT = "markup_student"
TAMPERED_STUDENT = "tampered_student"
RENAMED_STUDENT = "renamed_student"
# Folder and file names, so no glob characters: nbgrader matches submissions with glob patterns.
UNSAFE_ID = "<img src=x onerror=alert('student-id')>"
RENAMED_NOTEBOOK = "<svg onload=alert('notebook-name')>.ipynb"
MANUAL_GRADE_ID = "symmetry_proof"

# What the grader must still see of the answer once it is sanitized.
PROOF_HEAD = "Proof by induction on t"
MATH_TEXTS = ["$a_i < b_i$", "$x > 0 \\;\\&\\; y \\ge 0$", "$$\\sum_{i<j} (w_i - w_j)^2 = 0$$"]
FORMATTING = {"h3": PROOF_HEAD, "strong": "Base case.", "em": "every", "li": "identical gradients",
              "code": "W1[i] == W1[j]", "td": "t + 1"}


def mark(name):
    """Script that adds ``name`` to the list the test reads; ``top``, so it also works from inside a frame."""
    return f"top.__pwned=(top.__pwned||[]).concat(['{name}'])"


# A hostile first and last name in the gradebook, as an LMS roster import would bring them.
HOSTILE_NAME = f"<img src=x onerror={mark('name')}>"


def proof_answer(port):
    """A proof with formatting and math around fresh script payloads of every kind the sanitizer must stop."""
    beacon = f"http://127.0.0.1:{port}"
    return f"""### {PROOF_HEAD} <img src="x" onerror="{mark('img-onerror')}">

**Base case.** At $t = 0$ *every* row of $W^{{[1]}}$ is equal, so {MATH_TEXTS[0]} and {MATH_TEXTS[1]}.

- units with identical rows get identical gradients
- so `W1[i] == W1[j]` holds after each update

| step | claim |
|---|---|
| t | rows equal |
| t + 1 | rows still equal |

{MATH_TEXTS[2]}

<svg><animate onbegin="fetch('{beacon}/svg-animate')" attributeName="x" dur="1s"/></svg>
<details open ontoggle="$('input.score').val(99).trigger('change'); {mark('details-ontoggle')}">details</details>
<iframe srcdoc="<script>{mark('iframe-srcdoc')}</script>"></iframe>
<object data="data:text/html,<script>{mark('object-data')}</script>"></object>
<style>input.score {{ display: none }}</style>
<form action="{beacon}/form"><button class="pwn-button">Save</button></form>

$$ </p><img src=x onerror="fetch('{beacon}/html-in-math')"> $$

[regrade](javascript:$.ajax({{url:base_url+'/api/grade/'+$('input.score').attr('id'),method:'PUT'}}))
<a href="jav&#x09;ascript:fetch('{beacon}/entity-link')">entity link</a>
<a href="&#106;avascript&#58;{mark('decimal-entity-link')}">decimal entities</a>
[reference link][evil] $\\href{{javascript:fetch('{beacon}/tex-href')}}{{tex link}}$

[evil]: javascript:fetch('{beacon}/reference-link')

<math><mtext><table><mglyph><style><img src=x onerror="fetch('{beacon}/mathml-style')">
"""


def extra_cells(port):
    """Cells the student added: a markdown cell of markup and a code cell printing markup."""
    beacon = f"http://127.0.0.1:{port}"
    return [new_markdown_cell(f"<img src=x onerror=\"fetch('{beacon}/extra-markdown')\"> extra"),
            new_code_cell(f"print('<img src=x onerror=\"{mark('stream')}\">')")]


def display_outputs(port):
    """Outputs only a notebook graded some other way could carry: every active mime type and metadata trick."""
    beacon = f"http://127.0.0.1:{port}"
    return [
        new_output("display_data", data={"text/html": f"<img src=x onerror=\"{mark('output-html')}\">",
                                         "text/plain": "plain text survives"}),
        new_output("display_data", data={"image/svg+xml": f"<svg onload=\"fetch('{beacon}/output-svg')\"></svg>"}),
        new_output("display_data", data={"application/javascript": f"fetch('{beacon}/output-js')"}),
        new_output("display_data", data={"text/markdown": f"<img src=x onerror=\"{mark('output-markdown')}\">"}),
        new_output("display_data", data={"image/png": "not base64"},
                   metadata={"image/png": {"width": f"1 onerror={mark('png-width')}"}}),
        new_output("execute_result", data={"text/html": f"<script>{mark('execute-result')}</script>"},
                   execution_count=1),
    ]


def plant(course_root: Path, release_nb: Path, notebook: str, assignment: str, port: int) -> None:
    """Write the markup, renamed and unsafe-id submissions into ``submitted/``."""
    release = nbformat.read(release_nb, as_version=4)
    for student, name in [(MARKUP_STUDENT, notebook + ".ipynb"), (RENAMED_STUDENT, RENAMED_NOTEBOOK),
                          (UNSAFE_ID, notebook + ".ipynb")]:
        folder = course_root / "submitted" / student / assignment
        folder.mkdir(parents=True)
        shutil.copytree(release_nb.parent, folder, dirs_exist_ok=True)
        if name != notebook + ".ipynb":
            (folder / (notebook + ".ipynb")).unlink()
        nb = nbformat.from_dict(release)
        for cell in nb.cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == MANUAL_GRADE_ID:
                cell.source = proof_answer(port)
        nb.cells.extend(extra_cells(port))
        nbformat.write(nb, folder / name)
        (folder / "timestamp.txt").write_text("2024-01-01 12:00:00.000000 UTC")
    tampered = course_root / "submitted" / TAMPERED_STUDENT
    shutil.copytree(course_root / "submitted" / MARKUP_STUDENT, tampered)


def tamper(course_root: Path, notebook: str, assignment: str, port: int) -> None:
    """Put the payloads back, raw, into an already graded notebook, with active outputs and widget state."""
    path = course_root / "autograded" / TAMPERED_STUDENT / assignment / (notebook + ".ipynb")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == MANUAL_GRADE_ID:
            cell.source = proof_answer(port) + "\n![gone](attachment:missing.png)\n"
    shown = next(c for c in nb.cells if c.cell_type == "code" and not c.metadata.get("nbgrader", {}).get("grade"))
    shown.outputs = display_outputs(port)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"version_major": 2, "version_minor": 0,
                              "state": {"w": {"model_name": "HTMLModel", "model_module": "@jupyter-widgets/controls",
                                              "model_module_version": "2.0.0",
                                              "state": {"value": f"<img src=x onerror=\"{mark('widget')}\">"}}}}}
    nbformat.write(nb, path)


class Beacon:
    """A local HTTP listener that records every request a payload might send."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self):
                hits.append(f"{self.command} {self.path}")
                self.send_response(204)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()

            do_GET = do_POST = do_PUT = do_OPTIONS = _record

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
