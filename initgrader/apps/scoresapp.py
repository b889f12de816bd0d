"""``initgrader scores``: the class's scores from the gradebook, one row per student."""
from rich.console import Console
from rich.table import Table

from .baseapp import CourseApp


class ScoresApp(CourseApp):

    name = "initgrader-scores"
    description = "Print one row per student of an assignment from the gradebook"

    examples = """
        initgrader scores ps1
        """

    def start(self):
        super().start()
        from nbgrader.api import Gradebook, MissingEntry
        from initgrader.reports.collect import missing_gradebook

        assignment = self.resolve_assignment()
        problem = missing_gradebook(self.coursedir.db_url)
        if problem:
            self.fail("Nothing has been graded yet: %s", problem)
        table = Table(title=f"{assignment}: scores")
        for column in ("student", "autograded", "manual", "total", "max", "needs manual grade"):
            table.add_column(column, justify="left" if column == "student" else "right")
        # without the course id, Gradebook would add a "default_course" row to the course's gradebook
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                submissions = gb.assignment_submissions(assignment)
            except MissingEntry:
                self.fail("No assignment '%s' in the gradebook", assignment)
            for submission in sorted(submissions, key=lambda s: s.student_id):
                grades = [grade for notebook in submission.notebooks for grade in notebook.grades]
                auto = sum(g.auto_score or 0 for g in grades if g.cell_type == "code")
                manual = sum(g.score for g in grades if g.cell_type != "code")
                table.add_row(submission.student_id, f"{auto:g}", f"{manual:g}", f"{submission.score:g}",
                              f"{submission.max_score:g}", "yes" if submission.needs_manual_grade else "")
        # piped output would otherwise be cut to 80 columns, truncating student ids
        Console(width=max(Console().width, 120)).print(table)
