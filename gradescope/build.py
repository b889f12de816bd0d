"""Build Gradescope's autograder zip: ``python gradescope/build.py gradescope/autograder.zip``.

The archive holds, at its root, what Gradescope's specification asks for
(``setup.sh``, ``run_autograder``) and what they use: the grading script, the
kit's ``nbgrader_config.py``, the assignment's ``source/`` folder, the pinned
requirements and the kit itself (``kit/``, installed by ``setup.sh``).
Gradescope extracts it to ``/autograder/source``. Entries carry a fixed date,
so the same tree always builds the same bytes.
"""
import stat
import sys
import zipfile
from pathlib import Path

KIT = Path(__file__).resolve().parent.parent
HERE = KIT / "gradescope"
ASSIGNMENT = "random_initialization"
EXECUTABLE = {"setup.sh", "run_autograder"}
DATE = (2026, 1, 1, 0, 0, 0)


def entries():
    """(name in the archive, file) pairs."""
    yield from ((name, HERE / name) for name in ("setup.sh", "run_autograder", "autograde.py"))
    yield "nbgrader_config.py", KIT / "nbgrader_config.py"
    yield "requirements/runtime.txt", KIT / "requirements" / "runtime.txt"
    yield "kit/pyproject.toml", KIT / "pyproject.toml"
    for path in sorted((KIT / "initgrader").rglob("*.py")):
        yield f"kit/{path.relative_to(KIT).as_posix()}", path
    for path in sorted((KIT / "source" / ASSIGNMENT).iterdir()):
        if path.is_file() and not path.name.startswith("."):
            yield f"source/{ASSIGNMENT}/{path.name}", path


def build(target):
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, path in entries():
            info = zipfile.ZipInfo(name, date_time=DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | (0o755 if name in EXECUTABLE else 0o644)) << 16
            archive.writestr(info, path.read_bytes())
    return target


if __name__ == "__main__":
    print(f"Wrote {build(sys.argv[1] if len(sys.argv) > 1 else HERE / 'autograder.zip')}")
