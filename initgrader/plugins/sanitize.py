"""Keep what a submission wrote inert wherever it is shown as HTML.

A student's markdown answer, any HTML in it and the outputs of the student's
code are rendered in the formgrader, where an instructor is logged in, and in
the feedback page. nbconvert renders markdown with raw HTML and ``javascript:``
links left in, and nbgrader's formgrade template does not use nbconvert's own
``sanitize_html`` for markdown cells, so the kit sanitizes twice:

* where the answer enters the graded notebook, ``SanitizeStudentMarkup`` (an
  ``Autograde`` sanitize step after ``RebuildFromSource``) replaces any student
  markdown that renders to more than the allow-list with the allow-listed HTML;
* wherever HTML is rendered from the course (the formgrader's submission view
  and ``generate_feedback``), the ``markdown2html`` filter and
  ``SanitizeForDisplay`` do it again, for notebooks graded some other way.

The allow-list sanitizer is nh3 (ammonia). nbconvert's own ``clean_html``
(bleach) is not enough: the formgrade template never calls it on markdown, and
it escapes headings, paragraphs and images into visible tags.
"""
import logging
import os
import re
from html import escape

import nh3
from jinja2 import pass_context
from nbconvert.filters.markdown_mistune import IPythonRenderer, InvalidNotebook, MarkdownWithMath
from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from pygments.token import STANDARD_TYPES
from traitlets import Bool

log = logging.getLogger(__name__)
# nbgrader reads its config file several times per command; say each skipped folder once.

# What nbconvert makes of markdown (headings, lists, emphasis, code, tables, links, images), and no more.
TAGS = {"p", "br", "hr", "div", "span", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "b", "i", "u", "s",
        "del", "sub", "sup", "code", "pre", "kbd", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tr", "th", "td", "a", "img"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"},
              "th": {"style"}, "td": {"style"}}
# Pygments' token classes colour highlighted code; "anchor-link" keeps the heading's pilcrow hidden.
CLASSES = {"a": {"anchor-link"}, "div": {"highlight"}, "span": {name for name in STANDARD_TYPES.values() if name}}
IMAGE_DATA_URL = re.compile(r"data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/]*={0,2}")
WEB_URL = ("http://", "https://")
# Browsers drop these when they read a URL: tabs and newlines anywhere ("java\tscript:" is "javascript:"),
# control characters and spaces around it.
URL_NOISE = re.compile(r"[\t\n\r]")
URL_PADDING = "".join(map(chr, range(0x21)))
# MathJax turns these TeX commands into links, CSS or loaded code, inside $...$ that the sanitizer sees as text.
ACTIVE_TEX = re.compile(r"\\(href|class|cssId|style|data|unicode|require|bbox|mathtip|texttip|toggle|mmlToken)"
                        r"(?![A-Za-z])")
# Output data the templates turn into HTML by escaping text or embedding checked base64.
INERT_TEXT, INERT_IMAGES = "text/plain", ("image/png", "image/jpeg")
BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")
# Characters that end a string, an attribute or a text node in the pages that print student ids.
MARKUP_IN_NAME = re.compile(r"[<>&\"'`\\\x00-\x1f\x7f]")


def _url_policy(tag, attribute, value):
    """Links to the web, mail or the page's own headings; images from the web or embedded PNG/JPEG/GIF."""
    if attribute not in ("href", "src"):
        return value
    url = URL_NOISE.sub("", value).strip(URL_PADDING)
    if tag == "a" and url.lower().startswith(WEB_URL + ("mailto:", "#")):
        return value
    if tag == "img" and (url.lower().startswith(WEB_URL) or IMAGE_DATA_URL.fullmatch(url)):
        return value
    return None


_cleaner = nh3.Cleaner(tags=TAGS, attributes=ATTRIBUTES, allowed_classes=CLASSES, attribute_filter=_url_policy,
                       url_schemes={"http", "https", "mailto", "data"},
                       url_relative=lambda url: url if url.startswith("#") else None,
                       filter_style_properties={"text-align"}, strip_comments=True, link_rel="noopener noreferrer")


def defuse_active_tex(html):
    r"""Make ``\href`` and its kind print as text instead of acting when MathJax typesets the page."""
    return ACTIVE_TEX.sub(r"\\backslash{}\1", html)


def clean_html(html):
    """``html`` reduced to the allow-list."""
    return defuse_active_tex(_cleaner.clean(html))


class _Renderer(IPythonRenderer):
    """nbconvert's markdown renderer, except that an image naming a missing attachment shows nothing.

    nbconvert raises instead, which would make the formgrader fail on the whole submission.
    """

    def _embed_image_or_attachment(self, src):
        try:
            return super()._embed_image_or_attachment(src)
        except InvalidNotebook:
            return ""


def render_markdown(source, attachments=None):
    """``source`` as nbconvert's HTML exporter renders it, math left for MathJax."""
    renderer = _Renderer(escape=False, attachments=dict(attachments or {}), anchor_link_text="¶")
    return MarkdownWithMath(renderer=renderer).render(source)


def inert_markdown(source, attachments=None):
    """``source`` if it renders to allow-listed HTML, otherwise that HTML, as one raw-HTML line.

    One line starting with ``<div>`` is a raw HTML block that markdown renderers
    pass through as it is. Keeping safe sources unchanged keeps the checksum
    nbgrader compares to tell an untouched answer ("No response").
    """
    html = render_markdown(source, attachments)
    safe = clean_html(html)
    if safe == html and not attachments:
        return source
    return "<div>" + safe.replace("\r", "").replace("\n", "&#10;") + "</div>"


def inert_outputs(outputs):
    """Outputs rebuilt from the parts the templates escape: text, tracebacks, PNG and JPEG images.

    HTML, SVG, JavaScript, LaTeX, markdown and widget views are dropped, and
    output metadata too (its width and height are printed into <img> unquoted).
    """
    kept = []
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream":
            kept.append(new_output("stream", name="stderr" if output.get("name") == "stderr" else "stdout",
                                   text=_text(output.get("text"))))
        elif kind == "error":
            traceback = output.get("traceback")
            kept.append(new_output("error", ename=_text(output.get("ename")), evalue=_text(output.get("evalue")),
                                   traceback=[_text(line) for line in traceback] if isinstance(traceback, list)
                                   else []))
        elif kind in ("display_data", "execute_result"):
            data = _inert_data(output.get("data"))
            if data and kind == "execute_result":
                count = output.get("execution_count")
                kept.append(new_output(kind, data=data, execution_count=count if type(count) is int else None))
            elif data:
                kept.append(new_output(kind, data=data))
    return kept


def _text(value):
    if isinstance(value, list):
        value = "".join(part for part in value if isinstance(part, str))
    return value if isinstance(value, str) else ""


def _inert_data(data):
    data = data if isinstance(data, dict) else {}
    kept = {mime: _text(data[mime]) for mime in (INERT_TEXT, *INERT_IMAGES) if mime in data}
    return {mime: value for mime, value in kept.items() if mime == INERT_TEXT or BASE64.fullmatch(value)}


def carries_student_content(cell):
    """Solution cells hold the student's answer; cells without a grade id are the student's own."""
    return utils.is_solution(cell) or not cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


class SanitizeStudentMarkup(NbGraderPreprocessor):
    """Make the student's markdown and outputs inert as they enter the graded notebook.

    Runs in ``Autograde.sanitize_preprocessors`` after ``RebuildFromSource``,
    which has already dropped the student's metadata and attachments; the
    instructor's cells are left exactly as the source has them.
    """

    def preprocess_cell(self, cell, resources, index):
        if not carries_student_content(cell):
            return cell, resources
        if cell.cell_type == "markdown":
            cell.source = inert_markdown(cell.source, cell.get("attachments"))
            cell.pop("attachments", None)
        elif cell.cell_type == "code":
            cell.outputs = inert_outputs(cell.get("outputs", []))
        return cell, resources


@pass_context
def markdown2html(context, source):
    """nbconvert's ``markdown2html`` filter, sanitized; for ``c.HTMLExporter.filters``.

    Being a template filter, it runs after every preprocessor, so the mark
    scheme is already gone when instructor cells are rendered with it.
    """
    cell = context.get("cell", {})
    return clean_html(render_markdown(source, cell.get("attachments")))


def escape_page_labels(resources):
    """Escape the student's id and name, which the formgrader's page template prints as raw HTML."""
    for key in ("student", "first_name", "last_name", "notebook_path"):
        if isinstance(resources.get(key), str):
            resources[key] = escape(resources[key])


def escape_grade_id(cell):
    """Escape the grade id, which nbgrader's templates print into attributes and links."""
    meta = cell.get("metadata", {}).get("nbgrader")
    if isinstance(meta, dict) and "grade_id" in meta:
        meta["grade_id"] = escape(str(meta["grade_id"]))


class SanitizeForDisplay(Preprocessor):
    """Render-time counterpart of ``SanitizeStudentMarkup``, for ``c.HTMLExporter.preprocessors``.

    Outputs become inert, widget state (whose HTML widgets would render any
    markup) is dropped, and the labels the templates print unescaped are escaped.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        escape_page_labels(resources)
        for cell in nb.cells:
            escape_grade_id(cell)
            if cell.get("cell_type") == "code":
                cell.outputs = inert_outputs(cell.get("outputs", []))
        return nb, resources


def unsafe_student_id(student):
    """Why ``student`` cannot be graded under this id, or None.

    nbgrader takes student ids from submitted/ folder names, and some
    formgrader pages print ids unescaped: such an id never becomes a gradebook
    row, and the folder stays where it is until it is renamed.
    """
    if MARKUP_IN_NAME.search(student):
        return ("a student id cannot contain any of < > & \" ' ` \\ or control characters, which pages would "
                "read as markup; rename the folder to grade it")
    return None
