"""``initgrader``: the kit's commands, added beside nbgrader's, as subcommands in nbgrader's manner."""
from importlib.metadata import version

from nbgrader.apps.baseapp import NbGrader

from .baseapp import aliases, flags


class InitgraderApp(NbGrader):

    name = "initgrader"
    description = "The kit's additions to nbgrader: parallel autograding, class reports, exports and scores"
    version = version("initgrader")

    aliases = aliases
    flags = flags

    examples = """
        Every standard nbgrader command keeps working; these add to them.

            initgrader autograde ps1 --workers 4
            initgrader report ps1
            initgrader export ps1
            initgrader scores ps1

        Each reads the course's configuration as nbgrader does (nbgrader_config.py,
        ~/.jupyter, the system paths and the command line); see
        `initgrader <command> --help-all` for every option.
        """

    # Import strings: only the chosen subcommand's module is loaded.
    subcommands = dict(
        autograde=("initgrader.apps.autogradeapp.ParallelAutogradeApp",
                   "Autograde every submission of an assignment in parallel, with the course's pipeline."),
        report=("initgrader.apps.reportapp.ReportApp",
                "Write the class report of an assignment: HTML, PNG figures and CSV files."),
        export=("initgrader.apps.exportapp.ResultsExportApp",
                "Write an LMS CSV (student id, score, max score) for an assignment."),
        scores=("initgrader.apps.scoresapp.ScoresApp",
                "Print one row per student of an assignment from the gradebook."),
    )

    def start(self):
        if self.subapp is None:
            print("No command given (run with --help for options). List of subcommands:\n")
            self.print_subcommands()
        super().start()


def main():
    InitgraderApp.launch_instance()
