"""``initgrader export``: the assignment's scores as a CSV for an LMS grade import."""
import os

from traitlets import Unicode

from .baseapp import CourseApp, aliases


class ResultsExportApp(CourseApp):

    name = "initgrader-export"
    description = "Write the assignment's scores as a three-column CSV for an LMS grade import"

    aliases = dict(aliases, out="ResultsExportApp.output_directory")

    output_directory = Unicode(
        "exports",
        help="Folder of the exports, relative to the course root; they go to <folder>/<assignment>/.",
    ).tag(config=True)

    examples = """
        Write exports/ps1/lms.csv (student id, score, max score); run
        `nbgrader export` as well for nbgrader's grades.csv:

            initgrader export ps1
        """

    def start(self):
        super().start()
        from initgrader.reports.collect import collect
        from initgrader.reports.exports import write_exports

        assignment = self.resolve_assignment()
        out = os.path.join(self.coursedir.root, self.output_directory, assignment)
        results = collect(self.coursedir, assignment)
        write_exports(results, out)
        lms = os.path.join(out, "lms.csv")
        if results.empty:
            print(f"Nothing has been graded yet: {results.problem}. Wrote an empty {lms}")
        else:
            print(f"Wrote {lms} ({len(results.students)} students)")
