"""What the grader sees: live counts while grading, a summary table at the end."""
import logging
import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

STYLES = {"graded": "green", "failed": "bold red", "skipped": "dim"}


class Display:
    """Counts of graded, failed, skipped and remaining submissions.

    A rich progress bar on a terminal; one plain line per submission
    otherwise (CI logs, ``| tee``). While the bar is shown, the records of
    ``log`` are printed above it instead of through it.
    """

    def __init__(self, total, console=None, log=None):
        self.console = console or Console()
        self.total = total
        self.counts = {"graded": 0, "failed": 0, "skipped": 0}
        self.rows = []
        self.progress = None
        self.log = log
        self.streams = []

    @property
    def remaining(self):
        return self.total - sum(self.counts.values())

    def __enter__(self):
        if self.console.is_terminal:
            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("[bold]autograde"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("[green]{task.fields[graded]} graded[/] · [red]{task.fields[failed]} failed[/]"
                           " · {task.fields[skipped]} skipped · {task.fields[remaining]} remaining"),
                TimeElapsedColumn(),
                console=self.console,
            )
            self.task = self.progress.add_task("autograde", total=self.total, remaining=self.total, **self.counts)
            self.progress.start()
            # rich now prints what is written to sys.stderr above the bar; so should the log.
            for handler in self._stream_handlers():
                self.streams.append((handler, handler.setStream(sys.stderr)))
        return self

    def __exit__(self, *exc_info):
        if self.progress is not None:
            for handler, stream in self.streams:
                handler.setStream(stream)
            self.progress.stop()

    def _stream_handlers(self):
        handlers = self.log.handlers if self.log is not None else []
        return [h for h in handlers if type(h) is logging.StreamHandler and h.stream is sys.__stderr__]

    def skipped(self, student, record):
        """An unchanged submission graded by an earlier run."""
        self.counts["skipped"] += 1
        self.rows.append((student, record.get("score"), record.get("max_score"), None, "skipped"))
        if self.progress is not None:
            self.progress.update(self.task, advance=1, remaining=self.remaining, **self.counts)

    def finished(self, student, status, score=None, max_score=None, seconds=None, reason=""):
        """A submission graded or failed in this run."""
        self.counts[status] += 1
        self.rows.append((student, score, max_score, seconds, f"{status}: {reason}" if reason else status))
        if self.progress is not None:
            self.progress.update(self.task, advance=1, remaining=self.remaining, **self.counts)
            if reason:
                self.progress.console.print(Text.assemble((student, "red"), f": {reason}"), highlight=False)
        else:
            done = self.total - self.remaining
            self.console.print(
                f"[{done}/{self.total}] {status} {student}"
                f"{f' {score:g}/{max_score:g}' if score is not None else ''}"
                f"{f' {seconds:.2f}s' if seconds is not None else ''}"
                f"{f' ({reason})' if reason else ''}"
                f" - graded {self.counts['graded']}, failed {self.counts['failed']},"
                f" skipped {self.counts['skipped']}, remaining {self.remaining}",
                markup=False, highlight=False, soft_wrap=True)

    def summary(self, elapsed):
        table = Table(title="autograde summary", title_justify="left")
        for name, justify in (("student", "left"), ("score", "right"), ("max", "right"),
                              ("seconds", "right"), ("status", "left")):
            table.add_column(name, justify=justify)
        for student, score, max_score, seconds, status in sorted(self.rows):
            # Text, not str: rich reads a str cell as markup, and ids and reasons come from submissions
            table.add_row(
                Text(student),
                "" if score is None else f"{score:g}",
                "" if max_score is None else f"{max_score:g}",
                "" if seconds is None else f"{seconds:.2f}",
                Text(status),
                style=STYLES.get(status.split(":")[0]),
            )
        self.console.print(table)
        self.console.print(
            f"{self.counts['graded']} graded, {self.counts['failed']} failed, {self.counts['skipped']} skipped,"
            f" {self.remaining} not graded in {elapsed:.1f}s", highlight=False)
