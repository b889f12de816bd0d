"""Plain ``nbgrader autograde`` against the kit, on one class, in one run (``make bench``).

Copies of the same class planted from the test corpus are graded: by plain
nbgrader under a bare config (a Jupyter kernel per notebook, every cell run);
by nbgrader under the kit's config with the sandbox turned off and turned on
(the difference is the isolation's cost); and by ``initgrader autograde``
(parallel, every protection on). The kit's grades must agree; seconds per
submission are printed side by side, then where ``initgrader autograde``
spent its time, stage by stage.

    PYTHONPATH=tests python -m support.bench random_initialization --count 60 --workers 2
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from support.classroom import plant_class
from support.course import BIN, ENV, KIT, kit_config
from support.gradebooks import grade_rows, sqlite_url

BARE_CONFIG = ("c = get_config()\nc.CourseDirectory.course_id = 'random_initialization'\n"
               # the proof's mark scheme sits in its question cell
               "c.ClearMarkScheme.enforce_metadata = False\n")
UNISOLATED = "\nc.SandboxedExecute.isolation = 'none'\nc.SandboxedExecute.allow_unisolated = True\n"
STAGES = [
    ("setup", "write the temporary course"),
    ("init", "nbgrader: gradebook rows, source files copied"),
    ("read", "nbgrader: read and validate the notebook"),
    ("sanitize/", "sanitize preprocessors"),
    ("autograde/SandboxedExecute", "run the submission (sandbox) and the tests (grader)"),
    ("autograde/", "other autograde preprocessors"),
    ("write", "nbgrader: write the graded notebook"),
    ("other", "nbgrader: find notebooks, hooks, permissions"),
    ("collect", "read rows and files back for the coordinator"),
    ("coordinator/", "coordinator (this process, beside the workers)"),
]


def timed(course, program, *args):
    started = time.perf_counter()
    subprocess.run([str(BIN / program), *args], cwd=course, env=ENV, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def make_course(root, name, config_text, assignment, count):
    course = root / name
    shutil.copytree(KIT / "source", course / "source")
    (course / "nbgrader_config.py").write_text(config_text)
    timed(course, "nbgrader", "generate_assignment", assignment)
    plant_class(course, assignment, count)
    return course


def grades(course, assignment):
    return {(student, cell): score for student, row in grade_rows(sqlite_url(course), assignment).items()
            for cell, (score, _, _) in row.items()}


def stage_rows(stages):
    """(label, seconds, members) per group of STAGES, in the order of STAGES; members name the
    preprocessors of a group with their seconds."""
    groups = {}
    for name, seconds in stages.items():
        label = next((label for prefix, label in STAGES
                      if name == prefix or (prefix.endswith("/") and name.startswith(prefix))), name)
        groups.setdefault(label, {})[name.split("/", 1)[-1]] = seconds
    order = [label for _, label in STAGES if label in groups] + [label for label in groups
                                                                 if label not in dict(STAGES).values()]
    return [(label, sum(groups[label].values()),
             ", ".join(f"{member} {seconds:.1f}" for member, seconds in
                       sorted(groups[label].items(), key=lambda item: -item[1])) if len(groups[label]) > 1 else "")
            for label in order]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment", nargs="?", default="random_initialization")
    parser.add_argument("--count", type=int, default=60, help="submissions in the class (default 60)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="workers for initgrader autograde")
    parser.add_argument("--keep", metavar="DIR", help="build the courses in DIR and keep them")
    args = parser.parse_args(argv)
    # piped output (make bench | tee) would otherwise wrap the tables at 80 columns
    console = Console(width=max(Console().width, 120))
    root = Path(args.keep or tempfile.mkdtemp(prefix="initgrader-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    timings = root / "timings.json"
    runs = [
        ("plain nbgrader autograde, bare config", BARE_CONFIG, ["nbgrader", "autograde", args.assignment]),
        ("nbgrader autograde, kit config, no sandbox", kit_config() + UNISOLATED,
         ["nbgrader", "autograde", args.assignment]),
        ("nbgrader autograde, kit config", kit_config(), ["nbgrader", "autograde", args.assignment]),
        (f"initgrader autograde, {args.workers} workers", kit_config(),
         ["initgrader", "autograde", args.assignment, "--workers", str(args.workers), f"--timings-file={timings}"]),
    ]
    results = []
    try:
        for index, (label, config_text, command) in enumerate(runs):
            console.print(f"[bold]{label}[/bold]: planting {args.count} submissions and grading them …")
            course = make_course(root, f"course{index}", config_text, args.assignment, args.count)
            results.append((label, timed(course, *command), grades(course, args.assignment)))
        stages = json.loads(timings.read_text())
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    plain_seconds, plain_grades = results[0][1], results[0][2]
    kit_grades = results[2][2]
    table = Table(title=f"{args.count} submissions on {platform.machine()}, {os.cpu_count()} cores, "
                        f"Python {platform.python_version()}")
    for column in ("run", "seconds", "s / submission", "throughput vs plain", "grades equal the kit's"):
        table.add_column(column, justify="left" if column == "run" else "right")
    for label, seconds, result in results:
        table.add_row(label, f"{seconds:.1f}", f"{seconds / args.count:.3f}", f"{plain_seconds / seconds:.2f}x",
                      "yes" if result == kit_grades else "NO")
    console.print(table)
    print_stages(console, stages, results[3][1], args)

    # plain nbgrader zeroes a test cell that writes to stderr, so it may differ from the kit on correct code
    for (student, cell), score in sorted(plain_grades.items()):
        if kit_grades.get((student, cell)) != score:
            console.print(f"plain nbgrader gave {student} {score:g} on {cell}; the kit gave "
                          f"{kit_grades.get((student, cell)):g}")
    disagree = [label for label, _, result in results[1:] if result != kit_grades]
    for label in disagree:
        console.print(f"[red]{label} disagrees with sequential grading under the kit's config[/red]")
    return 1 if disagree else 0


def print_stages(console, timings, command_seconds, args):
    """Where initgrader autograde's time went: seconds per stage, summed over submissions."""
    rows = stage_rows(timings["stages"])
    busy = sum(seconds for label, seconds, _ in rows if not label.startswith("coordinator"))
    table = Table(title=f"initgrader autograde, {args.workers} workers: seconds per stage, summed over "
                        f"{timings['graded']} submissions")
    for column in ("stage", "seconds", "s / submission", "share", "of which"):
        table.add_column(column, justify="right" if column in ("seconds", "s / submission", "share") else "left")
    for label, seconds, members in rows:
        table.add_row(label, f"{seconds:.2f}", f"{seconds / max(1, timings['graded']):.3f}",
                      f"{seconds / busy:.0%}" if not label.startswith("coordinator") else "", members)
    console.print(table)
    capacity = command_seconds * args.workers
    console.print(f"Wall clock {command_seconds:.1f} s: {command_seconds - timings['seconds']:.1f} s starting the "
                  f"command (imports, config), {timings['workers_ready_after']:.1f} s until the first worker was "
                  f"ready, the rest grading. The workers were busy {busy:.1f} of {capacity:.1f} worker-seconds.",
                  highlight=False)


if __name__ == "__main__":
    raise SystemExit(main())
