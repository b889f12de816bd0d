"""The ``initgrader`` command: the kit's additions to the standard nbgrader apps."""
import argparse
import importlib
import sys

# subcommand -> module that provides configure(parser) and run(args) -> int
SUBCOMMANDS = {
    "autograde": ("initgrader.driver.command", "grade every submission in parallel, with all protections"),
    "bench": ("initgrader.driver.bench", "time plain nbgrader autograde against initgrader autograde"),
    "report": ("initgrader.reports.command", "write the class report (HTML, PNG figures, CSV)"),
    "export": ("initgrader.reports.exports", "write the assignment's scores as a CSV for an LMS grade import"),
    "sample-class": ("initgrader.classroom", "plant a sample class built from the test corpus in submitted/"),
    "scores": ("initgrader.scores", "print one row per student from the gradebook"),
}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(prog="initgrader", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name, (module, help_text) in SUBCOMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        # only the chosen subcommand's module is imported: the others may pull in heavy libraries
        if argv and argv[0] == name:
            importlib.import_module(module).configure(sub)
    args = parser.parse_args(argv)
    return importlib.import_module(SUBCOMMANDS[args.command][0]).run(args)


if __name__ == "__main__":
    sys.exit(main())
