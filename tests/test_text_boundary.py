"""Text from a submission is valid Unicode where it enters the grader: the wire and the notebook reader.

A lone surrogate ("\\udc80", which JSON can escape and Python can print) cannot be
written as UTF-8, so one in a graded notebook made nbgrader's write fail and the
submission go ungraded.
"""
import json

import nbformat

from initgrader.ingest import Limits
from initgrader.ingest.notebook import parse
from initgrader.sandbox import wire


def test_wire_replaces_lone_surrogates_everywhere():
    message = {"stdout": "x\udc80y", "error": {"ename": "E\ud800", "evalue": "\udfff", "traceback": "t\udc80"},
               "value": {"$": "dict", "items": [["k\udc80", ["\ud83d\ude00", "\ud83d"]]]}}
    parsed = wire.loads(wire.dumps(message))
    assert parsed["stdout"] == "x\ufffdy" and parsed["error"] == {"ename": "E\ufffd", "evalue": "\ufffd",
                                                                    "traceback": "t\ufffd"}
    assert wire.decode(parsed["value"], wire.Incoming()) == {"k\ufffd": ["\U0001f600", "\ufffd"]}
    json.dumps(parsed, ensure_ascii=False).encode("utf-8")


def test_wire_keeps_valid_text_as_it_is():
    message = {"stdout": "caf\u00e9 \U0001f600 \\ud800 written out"}
    assert wire.loads(wire.dumps(message)) == message


def test_valid_text_copes_with_any_nesting():
    deep = "\ud800"
    for _ in range(100_000):
        deep = [deep]
    fixed = wire.valid_text(deep)
    for _ in range(100_000):
        fixed = fixed[0]
    assert fixed == "\ufffd"


def test_notebooks_are_read_as_valid_text():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("proof \udc80", metadata={"tags": ["t\ud800"]}),
        nbformat.v4.new_code_cell("print('\udfff')", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="\udc80"),
            nbformat.v4.new_output("display_data", data={"text/plain": "\ud800", "x/\udc80": "v"},
                                   metadata={"m\udc80": "\ud800"}),
            nbformat.v4.new_output("error", ename="E\ud800", evalue="\udc80", traceback=["\udfff"])])])
    data = json.dumps(nb).encode("ascii")
    for grader_written in (False, True):
        read, _ = parse(data, Limits(), grader_written=grader_written)
        written = nbformat.writes(read).encode("utf-8")
        assert "\ufffd" in written.decode() and "\\ud" not in written.decode().lower()
        assert read.cells[0].source == "proof \ufffd" and read.cells[0].metadata.tags == ["t\ufffd"]
