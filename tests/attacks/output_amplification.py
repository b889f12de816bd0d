"""Hundreds of cells before the answers, each printing the per-cell cap, to multiply output past any notebook size."""
PRINTER = "import sys\ndef p():\n    sys.stdout.write('A' * 20_000); sys.stderr.write('B' * 20_000)\n"


def mutate(nb):
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}
             for source in [PRINTER] + ["p()"] * 300]
    nb["cells"][:0] = cells
    return nb


REASON = "code cells of its own"
EXPECT = {"*": "full"}
