"""``nbgrader export``'s CSV, written as CSV: quoted fields, and cells a spreadsheet shows as text."""
import csv

from nbgrader.api import MissingEntry
from nbgrader.plugins import CsvExportPlugin

from ..reports.tables import spreadsheet_safe

FIELDS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email", "raw_score",
          "late_submission_penalty", "score", "max_score"]


class SafeCsvExportPlugin(CsvExportPlugin):
    """nbgrader's ``CsvExportPlugin``, same columns and rows.

    nbgrader joins fields with commas unquoted, so a student id or name with a
    comma shifts the columns, and one starting with ``=`` is a formula.
    """

    def export(self, gradebook):
        dest = self.to or "grades.csv"
        students = {str(item) for item in self.student}
        assignments = {str(item) for item in self.assignment}
        self.log.info("Exporting grades to %s", dest)
        with open(dest, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=FIELDS)
            writer.writeheader()
            for assignment in gradebook.assignments:
                if assignments and assignment.name not in assignments:
                    continue
                for student in gradebook.students:
                    if students and student.id not in students:
                        continue
                    row = self.row(gradebook, assignment, student)
                    writer.writerow({key: spreadsheet_safe("" if value is None else str(value))
                                     for key, value in row.items()})

    @staticmethod
    def row(gradebook, assignment, student):
        row = {"assignment": assignment.name, "duedate": assignment.duedate, "student_id": student.id,
               "last_name": student.last_name, "first_name": student.first_name, "email": student.email,
               "max_score": assignment.max_score}
        try:
            submission = gradebook.find_submission(assignment.name, student.id)
        except MissingEntry:
            # no submission scores zero, as in nbgrader's own export
            row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0)
        else:
            penalty = submission.late_submission_penalty
            row.update(timestamp=submission.timestamp, raw_score=submission.score, late_submission_penalty=penalty,
                       score=max(0.0, submission.score - penalty))
        return row
