"""Build Gradescope's autograder zip: ``python gradescope/build.py gradescope/autograder.zip``.

The archive holds, at its root, what Gradescope's specification asks for
(``setup.sh``, ``run_autograder``) and what they use: the grading script, the
kit's ``nbgrader_config.py``, the assignment's ``source/`` folder, the pinned
requirements and the kit itself (``kit/``, installed by ``setup.sh``).
Gradescope extracts it to ``/autograder/source``. Entries carry a fixed date,
so the same tree always builds the same bytes.
"""
import os
import stat
import sys
import zipfile
from pathlib import Path

from initgrader.ingest.context import load_app
from initgrader.plugins.check_inputs import course_secret

KIT = Path(__file__).resolve().parent.parent
HERE = KIT / "gradescope"
EXECUTABLE = {"setup.sh", "run_autograder"}
DATE = (2026, 1, 1, 0, 0, 0)


def the_assignment(coursedir):
    """The assignment to ship: ``CourseDirectory.assignment_id`` if set, else the course's only one."""
    if coursedir.assignment_id:
        return coursedir.assignment_id
    top = os.path.dirname(coursedir.format_path(coursedir.source_directory, ".", "."))
    found = sorted(name for name in os.listdir(top) if os.path.isdir(os.path.join(top, name)))
    if len(found) != 1:
        raise SystemExit(f"{top} holds {len(found)} assignments; choose one with "
                         "--CourseDirectory.assignment_id=<id>")
    return found[0]


def entries(coursedir):
    """(name in the archive, bytes) pairs."""
    assignment = the_assignment(coursedir)
    yield from ((name, (HERE / name).read_bytes()) for name in ("setup.sh", "run_autograder", "autograde.py"))
    yield "nbgrader_config.py", (KIT / "nbgrader_config.py").read_bytes()
    yield ".initgrader/secret", (course_secret(coursedir) + "\n").encode()
    yield "requirements/runtime.txt", (KIT / "requirements" / "runtime.txt").read_bytes()
    yield "kit/pyproject.toml", (KIT / "pyproject.toml").read_bytes()
    for path in sorted((KIT / "initgrader").rglob("*.py")):
        yield f"kit/{path.relative_to(KIT).as_posix()}", path.read_bytes()
    source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
    for path in sorted(source.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            yield f"source/{assignment}/{path.name}", path.read_bytes()


def build(target, coursedir):
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries(coursedir):
            info = zipfile.ZipInfo(name, date_time=DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if name in EXECUTABLE else 0o600 if name.startswith(".initgrader/") else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            archive.writestr(info, data)
    return target


if __name__ == "__main__":
    print(f"Wrote {build(sys.argv[1] if len(sys.argv) > 1 else HERE / 'autograder.zip', load_app(KIT).coursedir)}")
