"""Turn a submitted notebook's bytes into a well-formed ``NotebookNode``, or a reason it cannot be one.

The bytes are measured before any parser sees them: a scan in front of
``json.loads`` bounds the nesting and the number of values, so neither
``[[[[…`` nor millions of ``{}`` under the size cap reach it. The parsed
data is then rebuilt field by field into a version 4.5 notebook holding
only what the grading pipeline reads, each with the type it expects.
"""
import codecs
import json
import math
import re

import nbformat
from nbformat.corpus.words import generate_corpus_id as random_cell_id
from nbformat.v4.rwbase import rejoin_lines

from ..sandbox.wire import SURROGATE_ESCAPE, valid_text

STRUCTURE = re.compile(rb'["\[\]{},:]')
CELL_ID = re.compile(r"[a-zA-Z0-9_\-]{1,64}")
GRADE_ID = re.compile(r"[a-zA-Z0-9_\-]*")
CELL_TYPES = ("code", "markdown", "raw")
NBGRADER_FIELDS = {"grade": bool, "solution": bool, "locked": bool, "task": bool, "schema_version": int,
                   "grade_id": str, "points": (int, float), "checksum": str, "cell_type": str}
OUTPUT_TYPES = {"stream", "display_data", "execute_result", "error"}


class Unreadable(Exception):
    """The notebook cannot be graded; the message says why, for the student."""


def measure(data, limits):
    """Check nesting depth and value count of JSON ``data`` without building anything.

    Strings are skipped whole (an escaped quote is one preceded by an odd run
    of backslashes); every other structural byte is counted. The loop stops
    at the first bound crossed, so its work is bounded by the limits, not by
    the size of the input.
    """
    depth = items = containers = quotes = 0
    pos = 0
    search, find = STRUCTURE.search, data.find
    while True:
        match = search(data, pos)
        if match is None:
            return
        byte = data[match.start()]
        pos = match.end()
        if byte == 0x22:
            start = pos
            while True:
                end = find(b'"', pos)
                if end < 0:
                    raise Unreadable("the notebook could not be read: it is not valid JSON (a string never ends)")
                quotes += 1
                if quotes > limits.max_json_items:
                    raise Unreadable(f"the notebook holds more than {limits.max_json_items} quoted strings and "
                                     "escaped quotes")
                segment = data[start:end]
                pos = end + 1
                if (len(segment) - len(segment.rstrip(b"\\"))) % 2 == 0:
                    break
                start = pos
            items += 1
        elif byte in b"[{":
            depth += 1
            containers += 1
            items += 1
            if depth > limits.max_json_depth:
                raise Unreadable(f"the notebook's JSON is nested more than {limits.max_json_depth} levels deep")
            if containers > limits.max_json_containers:
                raise Unreadable(f"the notebook holds more than {limits.max_json_containers} JSON lists and "
                                 "objects")
        elif byte in b"]}":
            depth -= 1
        else:
            items += 1
        if items > limits.max_json_items:
            raise Unreadable(f"the notebook holds more than {limits.max_json_items} JSON values")


def parse(data, limits, grader_written=False):
    """(NotebookNode, notes) from a notebook file's bytes, or ``Unreadable``.

    ``notes`` are sentences about cells that were left out. From a submission
    (``grader_written=False``) only the metadata the pipeline reads is kept
    (nbgrader's, and tags) and outputs and attachments are dropped: nothing
    grades them, and the grader's own keys are the grader's to write.
    """
    if len(data) > limits.max_notebook_bytes:
        raise Unreadable(f"the notebook is {len(data) / 1024**2:.0f} MB, over the "
                         f"{limits.max_notebook_bytes / 1024**2:.0f} MB limit")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    measure(data, limits)
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise Unreadable(f"the notebook could not be read: it is not valid JSON ({type(error).__name__}: "
                         f"{str(error)[:200]})") from None
    # a lone surrogate escaped in the JSON would make every later write of the notebook fail
    if SURROGATE_ESCAPE.search(data):
        raw = valid_text(raw)
    return rebuild(raw, grader_written)


def rebuild(raw, grader_written=False):
    """A version 4.5 NotebookNode holding the fields of ``raw`` the pipeline reads, with their types checked."""
    if not isinstance(raw, dict):
        raise Unreadable("the notebook is not a JSON object")
    if raw.get("nbformat") != 4:
        raise Unreadable(f"the notebook is in format {str(raw.get('nbformat'))[:20]}, not 4; open it in Jupyter, "
                         "save it and submit it again")
    cells = raw.get("cells")
    if not isinstance(cells, list):
        raise Unreadable("the notebook has no list of cells")
    nb = {"nbformat": 4, "nbformat_minor": 5, "cells": [],
          "metadata": _metadata(raw.get("metadata"), grader_written, NOTEBOOK_KEYS)}
    notes, seen = [], set()
    for index, cell in enumerate(cells):
        try:
            nb["cells"].append(_cell(cell, seen, grader_written))
        except Unreadable as problem:
            notes.append(f"Cell {index + 1} of the notebook was left out: {problem}.")
    nb = nbformat.from_dict(nb)
    return (rejoin_lines(nb) if grader_written else nb), notes


def _cell(raw, seen, grader_written):
    if not isinstance(raw, dict):
        raise Unreadable(f"it is a JSON {type(raw).__name__}, not a cell")
    kind = raw.get("cell_type")
    if kind not in CELL_TYPES:
        raise Unreadable(f"its type {str(kind)[:40]!r} is not code, markdown or raw")
    given = raw.get("id")
    cell_id = given if isinstance(given, str) and CELL_ID.fullmatch(given) and given not in seen else None
    while cell_id is None or cell_id in seen:
        cell_id = random_cell_id()
    seen.add(cell_id)
    cell = {"id": cell_id, "cell_type": kind, "source": _text(raw.get("source")),
            "metadata": _metadata(raw.get("metadata"), grader_written, CELL_KEYS)}
    if kind == "code":
        count = raw.get("execution_count")
        cell["execution_count"] = count if isinstance(count, int) and not isinstance(count, bool) else None
        outputs = raw.get("outputs") if grader_written and isinstance(raw.get("outputs"), list) else []
        cell["outputs"] = [out for out in outputs if isinstance(out, dict) and out.get("output_type") in OUTPUT_TYPES]
    return cell


def _text(source):
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    raise Unreadable("its source is not text")


def _metadata(raw, grader_written, keys):
    """The metadata the pipeline reads, well-typed; from a notebook the grader wrote, all of it."""
    metadata = dict(raw) if isinstance(raw, dict) else {}
    if grader_written:
        return metadata
    metadata = {key: value for key, value in metadata.items() if key in keys}
    for key, check in keys.items():
        if key in metadata:
            value = check(metadata[key])
            if value is None:
                del metadata[key]
            else:
                metadata[key] = value
    return metadata


def _spec(required):
    """A check for kernelspec or language_info: its names as text, the required ones present."""
    def check(raw):
        if not isinstance(raw, dict):
            return None
        spec = {key: raw[key] for key in ("name", "display_name", "language") if isinstance(raw.get(key), str)}
        return spec if set(required) <= set(spec) else None
    return check


def _tags(raw):
    if isinstance(raw, list) and all(isinstance(tag, str) for tag in raw):
        return list(dict.fromkeys(raw))
    return None


def _nbgrader(raw):
    """nbgrader's cell metadata with every field of the type its schema says; None if the cell has no valid id."""
    if not isinstance(raw, dict):
        return None
    clean = {}
    for key, kind in NBGRADER_FIELDS.items():
        value = raw.get(key)
        # bool is an int to Python, not to nbgrader's schema
        if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):
            clean[key] = value
    if "points" in clean and not (math.isfinite(clean["points"]) and clean["points"] >= 0):
        del clean["points"]
    if "grade_id" in clean and not GRADE_ID.fullmatch(clean["grade_id"]):
        del clean["grade_id"]
    if clean.get("cell_type") not in (None, *CELL_TYPES):
        del clean["cell_type"]
    if "grade_id" not in clean and any(clean.get(flag) for flag in ("grade", "solution", "locked", "task")):
        return None
    return clean


NOTEBOOK_KEYS = {"kernelspec": _spec(("name", "display_name")), "language_info": _spec(("name",))}
CELL_KEYS = {"nbgrader": _nbgrader, "tags": _tags}
