"""A written answer of unclosed math, environment and link openers, which nbconvert's math parser reads in quadratic time."""
WHERE = "symmetry_proof"
REPLACE = True
CODE = "\\\\[" * 32_000


def mutate(nb):
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "$a \\begin{x}{ [a]( ![ " * 2_000})
    return nb


EXPECT = {"*": "full"}
