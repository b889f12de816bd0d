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

Rendering takes time linear in the student's text everywhere: nbconvert's own
markdown filter searches from every unclosed math opener to the end of the
text, so the kit renders markdown itself (``render_markdown``).
"""
import logging
import re
from html import escape

import mistune
import nh3
from jinja2 import pass_context
from nbconvert.filters.markdown_mistune import IPythonRenderer, InvalidNotebook, MarkdownWithMath
from nbconvert.filters.strings import files_url_pattern
from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer
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
    """nbconvert's markdown renderer, except where student text could make it slow or make it fail.

    An image naming a missing attachment shows nothing (nbconvert raises,
    which would make the formgrader fail on the whole submission), and code
    blocks are not highlighted: the info string picks any Pygments lexer, and
    some of their regexes backtrack. Mermaid blocks render as nbconvert renders
    them, so the sanitizer judges the markup nbconvert would show.
    """

    def _embed_image_or_attachment(self, src):
        try:
            return super()._embed_image_or_attachment(src)
        except InvalidNotebook:
            return ""

    def block_code(self, code, info=None):
        if info and info.startswith("mermaid"):
            return self.block_mermaidjs(code)
        return "<pre><code>" + escape(code, quote=False) + "</code></pre>\n"


# A markdown cell longer than this is shown as plain text: rendering costs time in proportion to its length,
# in the grader and in the Jupyter server that shows the formgrader.
MAX_MARKDOWN_CHARS = 50_000
# The tokens that open, close or break math, as JupyterLab's removeMath finds them.
MATH_SPLIT = re.compile(r"(\$\$?|\\(?:begin|end)\{[a-z]*\*?\}|\\[{}$]|[{}]|(?:\n\s*)+|@@\d+@@"
                        r"|\\\\(?:\(|\)|\[|\]))", re.IGNORECASE)
MATH_PLACEHOLDER = re.compile(r"@@(\d+)@@")
FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
BACKTICKS = re.compile(r"`+")
BLANK_LINES = re.compile(r"\n.*\n")
# nbconvert's block plugins, without its math parsers: their lazy regexes rescan to the end of the text from
# every unclosed opener, in quadratic time.
_MISTUNE_PLUGINS = MarkdownWithMath.DEFAULT_PLUGINS


def _code_spans(text):
    """(start, end) of the fenced code blocks and the one-line code spans of ``text``, in one pass.

    Math is not looked for inside them, as in JupyterLab; a fence that is never
    closed runs to the end, as in CommonMark. A line in :func:`inert_markdown`'s
    form counts too: it is HTML already, its math escaped once.
    """
    spans, pos, fence = [], 0, None
    for line in text.splitlines(keepends=True):
        end = pos + len(line)
        opening = FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0][0] and len(opening.group(1)) >= len(fence[0]) \
                    and not line[opening.end():].strip():
                spans.append((fence[1], end))
                fence = None
        elif opening and not (opening.group(1)[0] == "`" and "`" in line[opening.end():]):
            fence = (opening.group(1), pos)
        elif line.startswith("<div>") and line.rstrip("\n").endswith("</div>"):
            spans.append((pos, end))
        else:
            runs = list(BACKTICKS.finditer(line))
            following, later = {}, [None] * len(runs)
            for index in range(len(runs) - 1, -1, -1):
                size = len(runs[index].group())
                later[index] = following.get(size)
                following[size] = index
            index = 0
            while index < len(runs):
                closing = later[index]
                if closing is None:
                    index += 1
                    continue
                spans.append((pos + runs[index].start(), pos + runs[closing].end()))
                index = closing + 1
        pos = end
    if fence is not None:
        spans.append((fence[1], len(text)))
    return spans


def remove_math(text):
    """``text`` with each math span replaced by ``@@n@@``, and the spans, HTML-escaped.

    JupyterLab's removeMath, in one pass over the tokens: an opener that is
    never closed before a blank line stays text, and scanning goes on after
    that blank line rather than going back, so the time is linear in the text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    math, pieces, pos = [], [], 0
    for start, end in _code_spans(text) + [(len(text), len(text))]:
        pieces.extend(_remove_math_outside_code(text[pos:start], math))
        pieces.append(text[start:end])
        pos = end
    return "".join(pieces), math


def _remove_math_outside_code(text, math):
    blocks = MATH_SPLIT.split(text)
    start = end = last = None
    braces = 0

    def take(first, final):
        group = "".join(blocks[first:final + 1])
        # markdown would have unescaped the doubled backslash that MathJax needs single
        if group[:3] in ("\\\\(", "\\\\[") and group[-3:] in ("\\\\)", "\\\\]"):
            group = group[1:-3] + group[-2:]
        math.append(escape(group))
        blocks[first:final + 1] = [f"@@{len(math) - 1}@@"] + [""] * (final - first)

    for index in range(1, len(blocks), 2):
        block = blocks[index]
        if block.startswith("@"):
            math.append(escape(block))
            blocks[index] = f"@@{len(math) - 1}@@"
        elif start is not None:
            if block == end:
                if braces:
                    last = index
                else:
                    take(start, index)
                    start = end = last = None
            elif BLANK_LINES.search(block):
                if last is not None:
                    take(start, last)
                start = end = last = None
                braces = 0
            elif block == "{":
                braces += 1
            elif block == "}" and braces:
                braces -= 1
        elif block in ("$", "$$"):
            start, end, braces = index, block, 0
        elif block in ("\\\\(", "\\\\["):
            start, end, braces = index, "\\\\" + (")" if block[-1] == "(" else "]"), 0
        elif block[1:6].lower() == "begin":
            start, end, braces = index, "\\end" + block[6:], 0
    if start is not None and last is not None:
        take(start, last)
    return blocks


def render_markdown(source, attachments=None):
    """``source`` as HTML, math left for MathJax, in time linear in its length.

    Math spans are set aside before mistune parses the rest and put back,
    escaped, afterwards, so markdown never reaches inside them. A source over
    ``MAX_MARKDOWN_CHARS`` is shown as plain text, with a note saying why.
    """
    if len(source) > MAX_MARKDOWN_CHARS:
        return (f"<p><em>This text is {len(source)} characters long, more than the {MAX_MARKDOWN_CHARS} this course "
                "renders as markdown, so it is shown as plain text.</em></p>\n<pre>" + escape(source, quote=False)
                + "</pre>\n")
    text, math = remove_math(source)
    renderer = _Renderer(escape=False, attachments=dict(attachments or {}), anchor_link_text="¶")
    html = mistune.Markdown(renderer, plugins=[mistune.import_plugin(name) for name in _MISTUNE_PLUGINS])(text)
    return MATH_PLACEHOLDER.sub(lambda match: math[int(match.group(1))] if int(match.group(1)) < len(math)
                                else match.group(), html)


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


# Code cells longer than this are shown unhighlighted: highlighting costs time in proportion to their length.
MAX_HIGHLIGHT_CHARS = 20_000


def highlight_code(source, language=None, metadata=None):
    """nbconvert's ``highlight_code`` filter, for ``c.HTMLExporter.filters``, in time linear in the code.

    nbconvert picks Pygments' IPython lexer for this course, which takes
    quadratic time on student code ("a.b" repeated: 40 KB took 42 s in the
    formgrader's server); the Python lexer does not, and the cell's metadata
    does not get to pick another.
    """
    formatter = HtmlFormatter(cssclass=escape(f" highlight hl-{language or 'ipython3'}"))
    if len(source) > MAX_HIGHLIGHT_CHARS:
        return f'<div class="{formatter.cssclass}"><pre>{escape(source, quote=False)}</pre></div>\n'
    return highlight(source or " ", PythonLexer(), formatter)


def strip_files_prefix(html):
    """nbconvert's ``strip_files_prefix`` filter, for ``c.HTMLExporter.filters``, on attributes only.

    nbconvert's also rewrites markdown links left as text, with a lazy regex
    that takes quadratic time over a line of student brackets; the kit's
    markdown filter leaves no link as text.
    """
    return files_url_pattern.sub(r"\1=\2", html)


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
