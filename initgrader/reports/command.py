"""The class report as HTML with PNG figures and CSV files (``initgrader report``)."""
from pathlib import Path

from initgrader.reports.collect import collect


def build(coursedir, assignment, out_dir):
    """Write the report for ``assignment`` of the course ``coursedir`` into ``out_dir``; return the collected results."""
    results = collect(coursedir, assignment)
    write_report(results, out_dir)
    return results


def write_report(results, out_dir):
    """Write index.html, the figures and the CSV files for ``results`` into ``out_dir``."""
    from initgrader.reports import figures, page, tables

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    score_rows, check_rows = tables.score_rows(results), tables.check_rows(results)
    misconception_rows, timing_rows = tables.misconception_rows(results), tables.timing_rows(results)
    tables.write_csv(out / "scores.csv", tables.SCORE_FIELDS, score_rows)
    tables.write_csv(out / "checks.csv", tables.CHECK_FIELDS, check_rows)
    tables.write_csv(out / "misconceptions.csv", tables.MISCONCEPTION_FIELDS, misconception_rows)
    tables.write_csv(out / "timings.csv", tables.TIMING_FIELDS, timing_rows)

    # Stale figures from an earlier run must not be linked by accident.
    for old in out.glob("*.png"):
        old.unlink()
    figs = {}
    if not results.empty:
        figs["scores"] = figures.score_distribution([r["score"] for r in score_rows], results.max_score,
                                                    out / "scores.png").name
        if check_rows:
            figs["checks"] = figures.check_pass_rates(check_rows, out / "checks.png").name
        if misconception_rows:
            figs["misconceptions"] = figures.misconceptions(misconception_rows, len(score_rows),
                                                            out / "misconceptions.png").name
        if timing_rows:
            timeouts = sum(r["status"] == "timeout" for r in timing_rows)
            figs["timings"] = figures.grading_times([r["seconds"] for r in timing_rows],
                                                    out / "timings.png", timeouts).name
    (out / "index.html").write_text(page.render(results, figs), encoding="utf-8")

