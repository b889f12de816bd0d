"""PNG figures for the class report, sized to stay legible from 1 to 500+ students."""
import math
import statistics

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
from matplotlib.ticker import MaxNLocator, PercentFormatter  # noqa: E402

WIDTH = 9.0
DPI = 110
TOP_MISCONCEPTIONS = 15
PASS, WARN, FAIL, NEUTRAL = "#2e7d32", "#ef8f00", "#c62828", "#3f6fb5"


def _label(text, width=48):
    """One line, bounded length, and no '$' that mathtext would try to parse."""
    text = " ".join(str(text).split())
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text.replace("$", r"\$")


def _save(fig, path):
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return path


def _bar_height(n):
    return max(2.4, 0.42 * n + 1.3)


def _label_size(n):
    return 10 if n <= 20 else 8 if n <= 40 else 7


def score_distribution(scores, max_score, path):
    fig, ax = plt.subplots(figsize=(WIDTH, 4.2))
    top = max([max_score, *scores])
    integral = top <= 40 and all(float(s).is_integer() for s in [*scores, top])
    if integral:
        bins = [x - 0.5 for x in range(int(top) + 2)]
    else:
        bins = [top * i / 20 for i in range(21)]
    ax.hist(scores, bins=bins, color=NEUTRAL, edgecolor="white")
    mean, median = statistics.mean(scores), statistics.median(scores)
    ax.axvline(mean, color="black", linestyle="--", linewidth=1.2, label=f"mean {mean:.2f}")
    ax.axvline(median, color=WARN, linestyle=":", linewidth=2, label=f"median {median:.2f}")
    ax.set_xlim(bins[0], bins[-1])
    if integral and top <= 20:
        ax.set_xticks(range(int(top) + 1))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"Total score (out of {max_score:g})")
    ax.set_ylabel("Students")
    ax.set_title(f"Score distribution ({len(scores)} submission{'s' * (len(scores) != 1)})")
    ax.legend(loc="best", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)


def _hbar(ax, labels, values, colors, annotations, xmax):
    n = len(labels)
    ys = list(range(n))
    ax.barh(ys, values, color=colors, height=0.7)
    ax.set_yticks(ys, [_label(x) for x in labels], fontsize=_label_size(n))
    ax.invert_yaxis()
    ax.set_xlim(0, xmax * 1.22)
    for y, v, text in zip(ys, values, annotations):
        ax.text(v + xmax * 0.01, y, text, va="center", fontsize=_label_size(n))
    ax.spines[["top", "right"]].set_visible(False)


def check_pass_rates(rows, path):
    fig, ax = plt.subplots(figsize=(WIDTH, _bar_height(len(rows))))
    rates = [r["pass_rate"] * 100 for r in rows]
    colors = [PASS if r >= 80 else WARN if r >= 50 else FAIL for r in rates]
    notes = [f"{r:.0f}%  ({row['passed']}/{row['submissions']})" for r, row in zip(rates, rows)]
    _hbar(ax, [r["check"] for r in rows], rates, colors, notes, 100)
    ax.set_xlim(0, 122)
    ax.set_xticks(range(0, 101, 20))
    ax.spines["bottom"].set_bounds(0, 100)
    ax.xaxis.set_major_formatter(PercentFormatter())
    ax.set_xlabel("Submissions passing the check")
    ax.set_title("Pass rate of each check (notebook order)")
    return _save(fig, path)


def misconceptions(rows, total_students, path, top=TOP_MISCONCEPTIONS):
    shown = rows[:top]
    fig, ax = plt.subplots(figsize=(WIDTH, _bar_height(len(shown))))
    counts = [r["students"] for r in shown]
    notes = [f"{c}  ({c / total_students:.0%})" for c in counts]
    _hbar(ax, [r["misconception"] for r in shown], counts, [FAIL] * len(shown), notes, max(counts))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"Students (of {total_students})")
    more = f": top {top} of {len(rows)}" if len(rows) > top else ""
    ax.set_title(f"Misconceptions by number of students{more}")
    return _save(fig, path)


def grading_times(seconds, path, timeouts=0):
    fig, ax = plt.subplots(figsize=(WIDTH, 4.2))
    bins = max(5, min(40, round(math.sqrt(len(seconds)) * 2)))
    ax.hist(seconds, bins=bins, color=NEUTRAL, edgecolor="white")
    ordered = sorted(seconds)
    median = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    ax.axvline(median, color="black", linestyle="--", linewidth=1.2, label=f"median {median:.2f} s")
    ax.axvline(p95, color=WARN, linestyle=":", linewidth=2, label=f"95th percentile {p95:.2f} s")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Seconds to grade one submission")
    ax.set_ylabel("Submissions")
    extra = f", {timeouts} timed out" if timeouts else ""
    ax.set_title(f"Grading time per submission ({len(seconds)} timed{extra})")
    ax.legend(loc="upper right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)
