"""``initgrader bench``: plain ``nbgrader autograde`` against the kit, on one class, in one run.

Copies of the same planted class are graded: by plain nbgrader under a bare
config (a Jupyter kernel per notebook, every cell run); by plain nbgrader
under the kit's config with the sandbox turned off and turned on (the
difference is the isolation's cost); and by ``initgrader autograde``
(parallel, every protection on). The grades must agree; the seconds per
submission are printed side by side.
"""
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nbgrader.api import Gradebook
from rich.console import Console
from rich.table import Table

from ..classroom import KIT, plant_class

BARE_CONFIG = ('c = get_config()\nc.CourseDirectory.course_id = "random_initialization"\n'
               # the proof's mark scheme sits in its question cell
               'c.ClearMarkScheme.enforce_metadata = False\n')


def configure(parser):
    parser.add_argument("assignment", nargs="?", default="random_initialization")
    parser.add_argument("--count", type=int, default=60, help="submissions in the class (default 60)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="workers for initgrader autograde")
    parser.add_argument("--keep", metavar="DIR", help="build the courses in DIR and keep them")


def command(course, *args):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    started = time.perf_counter()
    subprocess.run(list(args), cwd=course, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def grades(course, assignment):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {(s.student_id, g.name): g.auto_score
                for s in gb.assignment_submissions(assignment) for n in s.notebooks for g in n.grades}


def make_course(root, name, config_text, assignment, count):
    course = root / name
    shutil.copytree(KIT / "source", course / "source")
    (course / "nbgrader_config.py").write_text(config_text)
    command(course, "nbgrader", "generate_assignment", assignment)
    plant_class(course, assignment, count)
    return course


def run(args):
    # piped output (make bench | tee) would otherwise wrap the table at 80 columns
    console = Console(width=max(Console().width, 120))
    root = Path(args.keep or tempfile.mkdtemp(prefix="initgrader-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    kit_config = (KIT / "nbgrader_config.py").read_text()
    unisolated = kit_config + "\nc.SandboxedExecute.isolation = 'none'\nc.SandboxedExecute.allow_unisolated = True\n"
    runs = [
        ("plain nbgrader autograde, bare config", BARE_CONFIG, ["nbgrader", "autograde", args.assignment]),
        ("nbgrader autograde, kit config, no sandbox", unisolated, ["nbgrader", "autograde", args.assignment]),
        ("nbgrader autograde, kit config", kit_config, ["nbgrader", "autograde", args.assignment]),
        (f"initgrader autograde, {args.workers} workers", kit_config,
         ["initgrader", "autograde", args.assignment, "--workers", str(args.workers)]),
    ]
    results = []
    try:
        for index, (label, config_text, argv) in enumerate(runs):
            console.print(f"[bold]{label}[/bold]: planting {args.count} submissions and grading them …")
            course = make_course(root, f"course{index}", config_text, args.assignment, args.count)
            seconds = command(course, *argv)
            results.append((label, seconds, grades(course, args.assignment)))
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
    # plain nbgrader zeroes a test cell that writes to stderr, so it may differ from the kit on correct code
    for (student, cell), score in sorted(plain_grades.items()):
        if kit_grades.get((student, cell)) != score:
            console.print(f"plain nbgrader gave {student} {score:g} on {cell}; the kit gave "
                          f"{kit_grades.get((student, cell)):g}")
    disagree = [label for label, _, result in results[1:] if result != kit_grades]
    for label in disagree:
        console.print(f"[red]{label} disagrees with sequential grading under the kit's config[/red]")
    return 1 if disagree else 0
