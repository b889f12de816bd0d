"""Load the corpus of student answers.

Each file in ``correct/`` or ``wrong/`` is a self-contained module that imports
only numpy and the standard library and defines one or more graded functions,
so its whole source can be planted into a notebook cell as it is. Files in
``wrong/`` also hold ``EXPECTED = {"function_name": "catalogue-key"}``: the
message each broken function should fail with.

    from corpus.loader import load, correct_files, wrong_files, graded
    for path in wrong_files():
        module = load(path)
        for name, fn in graded(module).items(): ...
"""
import importlib.util
from pathlib import Path

from initgrader.checks import CHECKS

CORPUS = Path(__file__).resolve().parent


def _files(kind):
    return sorted((CORPUS / kind).glob("*.py"))


def correct_files():
    """Paths of the correct answers, sorted by name."""
    return _files("correct")


def wrong_files():
    """Paths of the wrong answers, sorted by name."""
    return _files("wrong")


def load(path):
    """Import the file at ``path`` as a fresh module (never cached in sys.modules)."""
    path = Path(path)
    spec = importlib.util.spec_from_file_location(f"corpus_{path.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def graded(module):
    """The graded functions ``module`` defines, by name, in the order of CHECKS."""
    return {name: getattr(module, name) for name in CHECKS if callable(getattr(module, name, None))}
