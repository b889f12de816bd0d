"""``initgrader report``: the class report of an assignment."""
import os

from traitlets import Unicode

from .baseapp import CourseApp, aliases


class ReportApp(CourseApp):

    name = "initgrader-report"
    description = "Write the class report of an assignment: HTML, PNG figures and CSV files"

    aliases = dict(aliases, out="ReportApp.output_directory")

    output_directory = Unicode(
        "reports",
        help="Folder of the reports, relative to the course root; the report goes to <folder>/<assignment>/.",
    ).tag(config=True)

    examples = """
        Write reports/ps1/index.html with its figures and CSV files, from the
        gradebook (CourseDirectory.db_url) and the autograded notebooks:

            initgrader report ps1
        """

    def start(self):
        super().start()
        from initgrader.reports.command import build

        assignment = self.resolve_assignment()
        out = os.path.join(self.coursedir.root, self.output_directory, assignment)
        results = build(self.coursedir, assignment, out)
        if results.empty:
            print(f"Nothing has been graded yet: {results.problem}.")
        else:
            print(f"{len(results.submissions)} graded submissions of {assignment}.")
        print(f"Report written to {os.path.join(out, 'index.html')}")
