"""Print the class's scores from the gradebook, one row per student."""
import os

from nbgrader.api import Gradebook
from rich.console import Console
from rich.table import Table

from .reports.collect import course_directory


def configure(parser):
    parser.add_argument("assignment", nargs="?", default="random_initialization")
    parser.add_argument("--course-dir", default=os.getcwd(), help="the course folder (default: here)")


def run(args):
    table = Table(title=f"{args.assignment}: scores")
    for column in ("student", "autograded", "manual", "total", "max", "needs manual grade"):
        table.add_column(column, justify="left" if column == "student" else "right")
    coursedir = course_directory(args.course_dir)
    # without the course id, Gradebook would add a "default_course" row to the course's gradebook
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        submissions = sorted(gb.assignment_submissions(args.assignment), key=lambda s: s.student_id)
        for submission in submissions:
            grades = [grade for notebook in submission.notebooks for grade in notebook.grades]
            auto = sum(g.auto_score or 0 for g in grades if g.cell_type == "code")
            manual = sum(g.score for g in grades if g.cell_type != "code")
            table.add_row(submission.student_id, f"{auto:g}", f"{manual:g}", f"{submission.score:g}",
                          f"{submission.max_score:g}", "yes" if submission.needs_manual_grade else "")
    # piped output would otherwise be cut to 80 columns, truncating student ids
    Console(width=max(Console().width, 120)).print(table)
    return 0
