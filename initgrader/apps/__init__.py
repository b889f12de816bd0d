"""The ``initgrader`` command and its subcommands: traitlets applications built on nbgrader's own."""
