"""The sanitizer for a submission's markup: payloads, what must still show, outputs, rendered pages.

"Inert" is checked on the HTML a browser would get: every tag, attribute and
URL must be on the allow-list, whichever renderer produced it.
"""
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.server_extensions.formgrader import handlers
from traitlets.config.loader import PyFileConfigLoader

from initgrader.plugins import sanitize

KIT = Path(__file__).resolve().parent.parent
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
SAFE_URL = re.compile(r"(https?://|mailto:|#|data:image/(png|jpeg|gif);base64,)", re.IGNORECASE)

PAYLOADS = {
    "script": "<script>window.pwned = 1</script>",
    "img onerror": '<img src=x onerror="window.pwned = 1">',
    "svg onload": "<svg onload=window.pwned=1>",
    "svg animate": '<svg><animate onbegin="window.pwned=1" attributeName="x" dur="1s"/></svg>',
    "svg xlink": '<svg><a xlink:href="javascript:window.pwned=1"><text y="20">svg</text></a></svg>',
    "mathml": '<math><maction actiontype="statusline" xlink:href="javascript:window.pwned=1">m</maction></math>',
    "iframe srcdoc": "<iframe srcdoc=\"<script>parent.pwned=1</script>\"></iframe>",
    "object": '<object data="javascript:window.pwned=1"></object><embed src="javascript:window.pwned=1">',
    "form": '<form action="https://evil.example/"><button formaction="javascript:window.pwned=1">go</button></form>',
    "style": "<style>@import url(https://evil.example/x.css); body { display: none }</style>text",
    "style attribute": '<div style="position:fixed;top:0;left:0;width:100%;height:100%" onmouseover="pwned()">x</div>',
    "link and meta": '<link rel="stylesheet" href="https://evil.example/x.css">'
                     '<meta http-equiv="refresh" content="0;url=javascript:window.pwned=1">',
    "base": '<base href="https://evil.example/">',
    "details ontoggle": "<details open ontoggle=window.pwned=1>x</details>",
    "a javascript": '<a href="javascript:window.pwned=1">a</a>',
    "a mixed case": '<a href="JaVaScRiPt:window.pwned=1">a</a>',
    "a entities": '<a href="&#106;avascript&#58;window.pwned=1">a</a>',
    "a tab inside": '<a href="java&#x09;script:window.pwned=1">a</a>',
    "a padded": '<a href=" &#14; javascript:window.pwned=1">a</a>',
    "a data": '<a href="data:text/html;base64,PHNjcmlwdD5wd25lZD0xPC9zY3JpcHQ+">a</a>',
    "md link": "[a](javascript:window.pwned=1)",
    "md image": "![a](javascript:window.pwned=1)",
    "md reference": "[a][r]\n\n[r]: javascript:window.pwned=1",
    "md autolink": "<javascript:window.pwned=1>",
    "md svg data": "![a](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9cHduZWQoKT4=)",
    "html in math": "$<img src=x onerror=window.pwned=1>$ and $$</p><script>window.pwned=1</script>$$",
    "tex href": r"$\href{javascript:window.pwned=1}{x}$ $\style{position:fixed}{y}$ $\class{navbar}{z}$",
    "comment": "<!--><img src=x onerror=window.pwned=1>-->",
    "noscript": '<noscript><p title="</noscript><img src=x onerror=window.pwned=1>">',
    "textarea": "<textarea><img src=x onerror=window.pwned=1></textarea>",
    "mermaid": "```mermaid\ngraph TD; A[\"<img src=x onerror=window.pwned=1>\"]\n```",
    "missing attachment": "![a](attachment:missing.png)",
}


class Markup(HTMLParser):
    """Every tag, attribute and URL in a piece of HTML."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.urls = [], [], []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name))
            if name in ("href", "src", "action", "formaction", "data", "xlink:href"):
                self.urls.append(value or "")


def assert_inert(text):
    found = Markup(text)
    assert set(found.tags) <= sanitize.TAGS, found.tags
    for tag, name in found.attributes:
        assert name in sanitize.ATTRIBUTES.get(tag, set()) | {"class", "rel"}, (tag, name)
    for url in found.urls:
        assert not url or SAFE_URL.match(url), url
    assert not sanitize.ACTIVE_TEX.search(text.replace("\\backslash{}", ""))


def nbconvert_markdown(source):
    """What nbgrader's formgrade template shows for a markdown cell: nbconvert's renderer, nothing removed."""
    return MarkdownWithMath(renderer=IPythonRenderer(escape=False, anchor_link_text="¶")).render(source)


def text_of(rendered):
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_payloads_leave_nothing_active(payload):
    stored = sanitize.inert_markdown(payload)
    assert_inert(nbconvert_markdown(stored))
    assert_inert(sanitize.clean_html(sanitize.render_markdown(payload)))


def test_the_unsanitized_renderer_would_let_them_through():
    """The baseline these tests guard against: nbconvert alone keeps the payloads."""
    for name in ("img onerror", "md link", "iframe srcdoc"):
        with pytest.raises(AssertionError):
            assert_inert(nbconvert_markdown(PAYLOADS[name]))


@pytest.mark.parametrize("source", [
    "YOUR ANSWER HERE",
    "At $t = 0$ all rows are equal, and the gradients are too.",
    r"$$\sum_{i<j} (w_i - w_j)^2 = 0 \quad\text{whenever } a < b \text{ and } c > d$$",
    "```python\nW1 = np.zeros((4, 2))\nassert W1.shape < (5, 3)\n```",
])
def test_safe_answers_are_kept_as_written(source):
    # an unchanged stub keeps nbgrader's checksum, so a blank proof still scores "No response"
    assert sanitize.inert_markdown(source) == source


def test_formatting_and_math_survive_sanitizing():
    source = ("### Proof <img src=x onerror=alert(1)>\n\n**Base case.** At $t = 0$, $a_i < b_i$ and $x > 0$ & "
              "$y \\ge 0$.\n\n$$\\begin{aligned} a &= b \\\\ c &< d \\end{aligned}$$\n\n- *one*\n- `two<x>`\n\n"
              "| a | b |\n|---|---|\n| 1 | 2 |\n\n[site](https://example.org) ![pic](https://example.org/p.png)")
    stored = sanitize.inert_markdown(source)
    assert stored != source and "\n" not in stored
    rendered = nbconvert_markdown(stored)
    assert_inert(rendered)
    for tag in ("h3", "strong", "em", "li", "code", "table", "th", "td"):
        assert f"<{tag}>" in rendered, tag
    assert '<a href="https://example.org"' in rendered and '<img src="https://example.org/p.png"' in rendered
    text = text_of(rendered)
    for math in ("$t = 0$", "$a_i < b_i$", "$x > 0$", "&", r"\begin{aligned} a &= b \\ c &< d \end{aligned}"):
        assert math in text, math


def test_embedded_images_keep_only_raster_attachments():
    attachments = {"w.png": {"image/png": PNG}, "evil.svg": {"image/svg+xml": "PHN2ZyBvbmxvYWQ9cHduZWQoKT4="}}
    stored = sanitize.inert_markdown("![w](attachment:w.png) ![e](attachment:evil.svg)", attachments)
    rendered = nbconvert_markdown(stored)
    assert_inert(rendered)
    assert f'src="data:image/png;base64,{PNG}"' in rendered and "svg" not in rendered


def test_outputs_keep_text_and_checked_images_only():
    outputs = [
        new_output("stream", name="stdout", text="<b>printed</b>"),
        new_output("error", ename="AssertionError", evalue="<img src=x>", traceback=["<script>"]),
        new_output("display_data", data={"text/html": "<script>pwned()</script>", "text/plain": "plain",
                                         "image/svg+xml": "<svg onload=pwned()>", "application/javascript": "pwned()",
                                         "text/latex": r"$\href{javascript:pwned()}{x}$",
                                         "application/vnd.jupyter.widget-view+json": {"model_id": "x"}},
                   metadata={"image/png": {"width": "1 onerror=pwned()"}}),
        new_output("display_data", data={"image/png": PNG}, metadata={"width": "1 onerror=pwned()"}),
        new_output("display_data", data={"image/png": '" onerror="pwned()'}),
        new_output("execute_result", data={"text/html": "<b>only html</b>"}, execution_count=3),
    ]
    outputs[0]["name"] = 'stdout"><script>'
    kept = sanitize.inert_outputs(outputs)
    assert [o.output_type for o in kept] == ["stream", "error", "display_data", "display_data"]
    assert kept[0].name == "stdout" and kept[0].text == "<b>printed</b>"
    assert kept[2].data == {"text/plain": "plain"} and kept[3].data == {"image/png": PNG}
    assert all(not o.get("metadata") for o in kept)


def test_student_ids_with_markup_are_refused_with_a_way_out():
    for name in ("alice", "bob.smith@uni", "o-brien_2", "[@a=(]x"):
        assert sanitize.unsafe_student_id(name) is None, name
    for name in ("<img src=x onerror=alert(1)>", 'quote"d', "tab\tbed", "a&b", "it's", "back`tick"):
        assert "rename the folder to grade it" in sanitize.unsafe_student_id(name), name


# ---------------------------------------------------------------- pages rendered with the kit's config

def kit_config():
    return PyFileConfigLoader("nbgrader_config.py", path=str(KIT)).load_config()


def hostile_notebook():
    answer = new_markdown_cell(PAYLOADS["img onerror"] + "\n\nAt $t = 0$, $a < b$.",
                               metadata={"nbgrader": {"grade": True, "solution": True, "grade_id": "proof",
                                                      "points": 5, "schema_version": 3}})
    code = new_code_cell("display(HTML(...))",
                         outputs=[new_output("display_data", data={"text/html": "<script>pwned()</script>"})])
    nb = new_notebook(cells=[new_markdown_cell(PAYLOADS["md link"]), answer, code])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"x": {
        "model_name": "HTMLModel", "state": {"value": "<img src=x onerror=pwned()>"}}}}}
    return nb


def test_formgrader_page_is_inert_with_the_kit_config():
    config = kit_config()
    # what nbgrader's formgrader extension adds to the course config for its submission view
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    hostile = "<img src=x onerror=pwned()>"
    resources = {"assignment_id": "a", "notebook_id": "n", "submission_id": "1", "index": 0, "total": 1,
                 "base_url": "", "student": hostile, "first_name": hostile, "last_name": hostile,
                 "notebook_path": f'autograded/{hostile}"/a/n.ipynb'}
    page, _ = HTMLExporter(config=config).from_notebook_node(hostile_notebook(), resources=resources)
    assert "onerror=" not in page.replace("onerror=pwned()&gt;", "") and "<script>pwned" not in page
    assert "javascript:" not in page and "HTMLModel" not in page
    assert html.escape(hostile) in page and "$a &lt; b$" in page


def test_markdown_filter_runs_after_the_mark_scheme_is_cleared(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("Prove it.\n\n### BEGIN MARK SCHEME\nsecret_marks_41\n"
                                               "### END MARK SCHEME")])
    from nbgrader.preprocessors import ClearMarkScheme
    exporter = HTMLExporter(config=kit_config())
    exporter.register_preprocessor(ClearMarkScheme(enforce_metadata=False), enabled=True)
    page, _ = exporter.from_notebook_node(nbformat.from_dict(nb))
    assert "Prove it." in page and "secret_marks_41" not in page


# ---------------------------------------------------------------- rendering time

UNCLOSED_OPENERS = {"display math": "\\\\[", "inline math": "$a", "environment": "\\begin{x}{", "link": "[a](",
                    "image": "![", "emphasis": "**a", "code fence": "```\n", "code span": "`a", "html": "<div>"}


@pytest.mark.parametrize("unit", UNCLOSED_OPENERS.values(), ids=UNCLOSED_OPENERS.keys())
def test_markdown_renders_in_linear_time(unit):
    # nbconvert's math parser rescans to the end from every unclosed opener: 48 KB of "\\[" took 11 s
    import time
    costs = []
    for size in (12_000, 48_000):
        start = time.process_time()
        sanitize.inert_markdown(unit * (size // len(unit)))
        costs.append(time.process_time() - start)
    assert costs[1] < 2.0 and costs[1] < 12 * costs[0] + 0.2, costs


def test_formgrader_page_of_a_huge_answer_is_quick_and_plain():
    import time
    answer = "\\\\[" * (sanitize.MAX_MARKDOWN_CHARS // 3 + 1) + "<script>pwned()</script>"
    nb = new_notebook(cells=[new_markdown_cell(answer)])
    start = time.process_time()
    page, _ = HTMLExporter(config=kit_config()).from_notebook_node(nb)
    assert time.process_time() - start < 5
    assert "shown as plain text" in page and "<script>pwned" not in page and "\\\\[\\\\[" in page
    assert sanitize.inert_markdown(answer) == answer


def test_math_is_kept_whole_for_mathjax():
    rendered = sanitize.render_markdown("A $a_*b*_c < d$ and \\\\[ x_1 \\\\] and `$x` $$y > 0$$ and "
                                        "\\begin{align} p &= q \\end{align} and @@0@@")
    assert "$a_*b*_c &lt; d$" in rendered and "\\[ x_1 \\]" in rendered and "<code>$x</code>" in rendered
    assert "$$y &gt; 0$$" in rendered and "\\begin{align} p &amp;= q \\end{align}" in rendered
    assert "@@0@@" in rendered


def test_code_cells_are_highlighted_in_linear_time():
    # Pygments' IPython lexer, nbconvert's choice for this course, took 13 s on 20 KB of "a.b"
    import time
    config = kit_config()
    costs = []
    for size in (5_000, 19_998):
        nb = new_notebook(cells=[new_code_cell("a.b" * (size // 3))])
        nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
        start = time.process_time()
        page, _ = HTMLExporter(config=config).from_notebook_node(nb)
        costs.append(time.process_time() - start)
    assert costs[1] < 3 and costs[1] < 8 * costs[0] + 0.5, costs
    assert '<span class="n">a</span><span class="o">.</span>' in page and "hl-ipython3" in page
    long = "x = '<b>'\n" * (sanitize.MAX_HIGHLIGHT_CHARS // 10 + 1)
    assert sanitize.highlight_code(long).count("x = '&lt;b&gt;'\n") == len(long) // 10


def test_math_in_an_answer_made_inert_is_escaped_once_when_shown():
    answer = "Base $a_i < b_i$ and <b onclick=x>bold</b>\n\n$$\\sum_{i<j} w_i^2$$\n"
    stored = sanitize.inert_markdown(answer)
    assert stored.startswith("<div>") and "onclick" not in stored
    shown = sanitize.markdown2html({}, stored)
    assert "$a_i &lt; b_i$" in shown and "$$\\sum_{i&lt;j} w_i^2$$" in shown and "&amp;lt;" not in shown
