"""The report's numbers as rows: one source for the CSV files, figures and HTML."""
import csv
from collections import Counter, defaultdict

SCORE_FIELDS = ["student", "score", "max_score", "needs_manual_grade", "status", "isolation_level", "reasons"]
CHECK_FIELDS = ["check", "notebook", "max_score", "submissions", "passed", "failed", "pass_rate"]
MISCONCEPTION_FIELDS = ["misconception", "students", "share", "checks"]
TIMING_FIELDS = ["student", "seconds", "status"]
# Notebooks graded before the sandbox recorded its level say nothing about it.
UNRECORDED = "not recorded"


def score_rows(results):
    return [{"student": s.student, "score": s.score, "max_score": s.max_score,
             "needs_manual_grade": s.needs_manual_grade, "status": s.status,
             "isolation_level": s.isolation_level or UNRECORDED, "reasons": "\n".join(s.reasons)}
            for s in results.submissions]


def isolation_counts(results):
    """(isolation level, submissions) pairs, the most common level first."""
    return Counter(s.isolation_level or UNRECORDED for s in results.submissions).most_common()


def check_rows(results):
    rows = []
    for check in results.checks:
        outcomes = [s.checks[check.name] for s in results.submissions if check.name in s.checks]
        passed = sum(o.passed for o in outcomes)
        rows.append({"check": check.name, "notebook": check.notebook, "max_score": check.max_score,
                     "submissions": len(outcomes), "passed": passed, "failed": len(outcomes) - passed,
                     "pass_rate": round(passed / len(outcomes), 4) if outcomes else 0.0})
    return rows


def misconception_rows(results):
    """Misconceptions ranked by the number of distinct students who made them."""
    students, checks = defaultdict(set), defaultdict(Counter)
    for sub in results.submissions:
        for result in sub.checks.values():
            if result.misconception:
                students[result.misconception].add(sub.student)
                checks[result.misconception][result.name] += 1
    total = len(results.submissions) or 1
    ranked = sorted(students, key=lambda m: (-len(students[m]), m))
    # checks: where the misconception showed up, most frequent first
    return [{"misconception": m, "students": len(students[m]), "share": round(len(students[m]) / total, 4),
             "checks": ";".join(name for name, _ in checks[m].most_common())} for m in ranked]


def timing_rows(results):
    return [{"student": s.student, "seconds": round(s.seconds, 3), "status": s.status}
            for s in results.submissions if s.seconds is not None]


def top_messages(results, check_name, n=3):
    """The most frequent failure messages of one check, with their counts."""
    counts = Counter(s.checks[check_name].message for s in results.submissions
                     if check_name in s.checks and not s.checks[check_name].passed)
    return counts.most_common(n)


def spreadsheet_safe(value):
    """``value`` as a CSV cell a spreadsheet shows as text.

    Ids and messages come from submissions; a leading =, +, -, @ would run as
    a formula when an instructor opens the CSV in a spreadsheet.
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(path, fields, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: spreadsheet_safe(row[k]) for k in fields})
