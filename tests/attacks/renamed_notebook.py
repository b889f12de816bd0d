"""The reference answers, saved under the wrong notebook name."""
NOTEBOOK = "my_random_initialization.ipynb"
# nbgrader never grades it: test_renamed_notebook_gets_zeros checks what the gradebook says
EXPECT = {"*": "any"}
