"""A cell holding one 50 MB line: just under the exporter's 50 MiB limit, so it is read and run."""
WHERE = "extra-cell"
CODE = "blob = '" + "x" * 50_000_000 + "'"
EXPECT = {"*": "any"}
