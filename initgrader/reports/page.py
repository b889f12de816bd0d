"""The class report as one self-contained HTML page (relative links only).

Every piece of student-derived text (ids, messages, misconceptions, reasons,
which quote submitted file names) goes through ``esc``: messages are produced
by running student code. The page carries no script of its own.
"""
import datetime
import statistics
from html import escape

from initgrader.reports import tables

TABLE_MISCONCEPTIONS = 20
TABLE_CHECKS_PER_MISCONCEPTION = 3
# Letters rather than emoji: emoji fonts are often missing where reports get opened.
MARKS = {"passed": ("✓", "ok"), "failed": ("✗", "bad"), "error": ("E", "bad"),
         "timeout": ("T", "bad"), "crashed": ("C", "bad"), "not-run": ("–", "dim")}

CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330;
       margin: 0 auto; max-width: 1100px; padding: 1.5em 2em 4em; }
h1 { margin-bottom: 0.1em; } h2 { margin-top: 2em; border-bottom: 2px solid #e3e7ee; padding-bottom: 0.2em; }
.meta, .caption, .note { color: #5b6475; } .caption { margin: 0.3em 0 1em; }
.notice { background: #fff4e5; border: 1px solid #ef8f00; border-radius: 6px; padding: 1em 1.2em; font-size: 1.1em; }
.cards { display: flex; flex-wrap: wrap; gap: 0.8em; margin: 1.2em 0; }
.card { background: #f4f6fa; border-radius: 6px; padding: 0.6em 1em; min-width: 8em; }
.card b { display: block; font-size: 1.5em; }
img { max-width: 100%; height: auto; border: 1px solid #e3e7ee; border-radius: 4px; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.93em; }
th, td { border-bottom: 1px solid #e3e7ee; padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
th { background: #f4f6fa; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.mark { text-align: center; font-weight: bold; }
.nowrap { white-space: nowrap; }
.ok { color: #2e7d32; } .bad { color: #c62828; } .dim { color: #8a93a3; }
table.wide { width: 100%; } th.msgs { width: 45%; }
code { word-break: break-word; }
code, .msg { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; }
.msg { white-space: pre-wrap; word-break: break-word; }
a.csv { font-size: 0.9em; }
"""


def esc(value):
    return escape(str(value), quote=True)


def _fmt(x):
    return f"{x:g}" if isinstance(x, float) else esc(x)


def _csv_link(name, text=None):
    return f'<a class="csv" href="{esc(name)}">{esc(text or "Download " + name)}</a>'


def _figure(fig, alt, caption, csv_name):
    if not fig:
        return ""
    return (f'<figure><img src="{esc(fig)}" alt="{esc(alt)}">'
            f'<figcaption class="caption">{caption} {_csv_link(csv_name)}</figcaption></figure>')


def _unisolated(level):
    # Submission code that ran with no isolation could have read anything the grader can.
    return ' class="bad"' if level == "none" else ""


def _cards(results):
    scores = [s.score for s in results.submissions]
    cards = [("Submissions graded", len(scores)), ("Students in gradebook", len(results.students)),
             ("Mean score", f"{statistics.mean(scores):.2f} / {results.max_score:g}"),
             ("Median score", f"{statistics.median(scores):.2f}"),
             ("Full marks", sum(s.score >= s.max_score for s in results.submissions)),
             ("Awaiting manual grading", sum(s.needs_manual_grade for s in results.submissions))]
    body = "".join(f'<div class="card">{esc(k)}<b>{esc(v)}</b></div>' for k, v in cards)
    levels = "".join(f'<div class="card">Isolation: {esc(level)}<b{_unisolated(level)}>{count}</b></div>'
                     for level, count in tables.isolation_counts(results))
    return f'<div class="cards">{body}{levels}</div>'


def _checks_table(results, rows):
    # The notebook column is noise for the usual one-notebook assignment.
    several = len({r["notebook"] for r in rows}) > 1
    out = ['<table class="wide"><tr><th>Check</th>' + ("<th>Notebook</th>" if several else "") +
           '<th>Points</th><th>Pass rate</th><th>Passed</th><th class="msgs">Most common failure messages</th></tr>']
    for row in rows:
        messages = "".join(f'<div class="msg">{n}× {esc(m) or "<i>(no message)</i>"}</div>'
                           for m, n in tables.top_messages(results, row["check"]))
        notebook = f'<td>{esc(row["notebook"])}</td>' if several else ""
        out.append(f'<tr><td><code>{esc(row["check"])}</code></td>{notebook}'
                   f'<td class="num">{_fmt(row["max_score"])}</td><td class="num">{row["pass_rate"]:.0%}</td>'
                   f'<td class="num">{row["passed"]}/{row["submissions"]}</td><td>{messages}</td></tr>')
    out.append("</table>")
    return "".join(out)


def _check_list(names):
    shown = ", ".join(f"<code>{esc(n)}</code>" for n in names[:TABLE_CHECKS_PER_MISCONCEPTION])
    rest = len(names) - TABLE_CHECKS_PER_MISCONCEPTION
    return shown + (f' <span class="dim nowrap">+{rest} more</span>' if rest > 0 else "")


def _misconceptions_table(rows):
    if not rows:
        return '<p class="note">No misconceptions were recorded.</p>'
    out = ["<table><tr><th>#</th><th>Misconception</th><th>Students</th><th>Share</th><th>Checks</th></tr>"]
    for i, row in enumerate(rows[:TABLE_MISCONCEPTIONS], 1):
        out.append(f'<tr><td class="num">{i}</td><td class="msg">{esc(row["misconception"])}</td>'
                   f'<td class="num">{row["students"]}</td><td class="num">{row["share"]:.0%}</td>'
                   f'<td>{_check_list(row["checks"].split(";"))}</td></tr>')
    out.append("</table>")
    if len(rows) > TABLE_MISCONCEPTIONS:
        out.append(f'<p class="note">{len(rows) - TABLE_MISCONCEPTIONS} rarer misconceptions are in '
                   f'{_csv_link("misconceptions.csv", "misconceptions.csv")}.</p>')
    return "".join(out)


def _students_table(results):
    heads = "".join(f'<th title="{esc(c.name)}">{i}</th>' for i, c in enumerate(results.checks, 1))
    out = [f"<table><tr><th>Student</th><th>Score</th>{heads}<th>Manual grading</th>"
           "<th>Status</th><th>Isolation</th><th>Seconds</th></tr>"]
    graded = {s.student for s in results.submissions}
    for sub in results.submissions:
        marks = []
        for check in results.checks:
            result = sub.checks.get(check.name)
            status = result.status if result else "not-run"
            symbol, cls = MARKS.get(status, ("?", "bad"))
            tip = f"{check.name}: {status}" + (f" — {result.message}" if result and result.message else "")
            marks.append(f'<td class="mark {cls}" title="{esc(tip)}">{symbol}</td>')
        manual = '<span class="bad">pending</span>' if sub.needs_manual_grade else '<span class="ok">done</span>'
        seconds = f"{sub.seconds:.2f}" if sub.seconds is not None else "–"
        level = sub.isolation_level or tables.UNRECORDED
        isolation = f"<td{_unisolated(level)}>{esc(level)}</td>"
        out.append(f'<tr><td>{esc(sub.student)}</td><td class="num">{sub.score:g} / {sub.max_score:g}</td>'
                   f'{"".join(marks)}<td>{manual}</td><td>{esc(sub.status)}</td>{isolation}'
                   f'<td class="num">{seconds}</td></tr>')
    for student in results.students:
        if student not in graded:
            out.append(f'<tr class="dim"><td>{esc(student)}</td><td colspan="{len(results.checks) + 5}">'
                       f"no graded submission</td></tr>")
    out.append("</table>")
    legend = ", ".join(f"{sym} {esc(name)}" for name, (sym, _) in MARKS.items())
    key = "; ".join(f"{i} = <code>{esc(c.name)}</code>" for i, c in enumerate(results.checks, 1))
    return f'<p class="note">Columns: {key}. Marks: {legend}. Hover a mark for the message.</p>' + "".join(out)


def _reasons_table(results):
    rows = [(sub.student, sub.reasons) for sub in results.submissions if sub.reasons]
    if not rows:
        return '<p class="note">Every submission was graded in full.</p>'
    out = ['<table class="wide"><tr><th>Student</th><th>Why it was not fully graded</th></tr>']
    for student, reasons in rows:
        items = "".join(f'<div class="msg">{esc(reason)}</div>' for reason in reasons)
        out.append(f"<tr><td>{esc(student)}</td><td>{items}</td></tr>")
    out.append("</table>")
    return "".join(out)


def render(results, figs):
    """The page for ``results``; ``figs`` maps figure kind to a PNG file name (or None)."""
    title = f"Class report: {results.assignment}"
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    parts = [f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
             f'<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>{esc(title)}</title><style>{CSS}</style></head><body>",
             f"<h1>{esc(title)}</h1><p class=\"meta\">Generated {now}.</p>"]
    if results.empty:
        parts.append(f'<div class="notice"><b>Nothing has been graded yet:</b> {esc(results.problem)}. '
                     "Run the autograder, then build this report again.</div>")
        if results.students:
            parts.append(f"<p>{len(results.students)} students are in the gradebook.</p>")
        parts.append("</body></html>")
        return "".join(parts)

    check_rows = tables.check_rows(results)
    misconception_rows = tables.misconception_rows(results)
    parts += [_cards(results),
              "<h2>Score distribution</h2>",
              _figure(figs.get("scores"), "Histogram of total scores",
                      f"Total score per submission, manual grades included where given (out of {results.max_score:g}).",
                      "scores.csv"),
              "<h2>Checks</h2>",
              _figure(figs.get("checks"), "Pass rate of each check",
                      "Share of submissions passing each autograded check.", "checks.csv"),
              _checks_table(results, check_rows),
              "<h2>Misconceptions</h2>",
              _figure(figs.get("misconceptions"), "Misconceptions ranked by number of students",
                      "Distinct students per misconception.", "misconceptions.csv"),
              _misconceptions_table(misconception_rows),
              "<h2>Grading time</h2>"]
    if figs.get("timings"):
        parts.append(_figure(figs["timings"], "Histogram of grading time per submission",
                             "Wall time the grader spent on each submission.", "timings.csv"))
    else:
        parts.append('<p class="note">No grading times recorded: these notebooks were graded without the '
                     f'initgrader executor, which is what records them. {_csv_link("timings.csv")}</p>')
    parts += ["<h2>Not fully graded</h2>", _reasons_table(results),
              "<h2>Students</h2>", _students_table(results), "</body></html>"]
    return "\n".join(parts)
