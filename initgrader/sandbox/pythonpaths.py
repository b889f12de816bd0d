"""The directories a sandboxed Python needs, as the worker's interpreter names them.

A venv reached through a symbolic link (or any prefix whose path differs from
its real path) names its site-packages by the path it was started with, so
the sandbox must offer both spellings: the path the interpreter uses and the
real one the symbolic links lead to. The list comes from the interpreter the
worker runs (``python -I``), never from the grader's own ``sys.path``, which
under pytest or an editable install can name a checkout holding solutions.
"""

import functools
import importlib.util
import json
import os
import subprocess
import sys

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SITE_DIRS = ("site-packages", "dist-packages")
TIMEOUT = 60


@functools.lru_cache(maxsize=None)
def interpreter_paths(python):
    """The prefixes and ``sys.path`` of *python* started as the worker is (``-I``)."""
    code = ("import json, sys; print(json.dumps([sys.prefix, sys.base_prefix, sys.exec_prefix, "
            "sys.base_exec_prefix, sys.executable] + sys.path))")
    result = subprocess.run([python, "-I", "-c", code], stdin=subprocess.DEVNULL,
                            capture_output=True, timeout=TIMEOUT, check=True)
    return tuple(json.loads(result.stdout))


def _grader_packages():
    """Where the initgrader package lives (it holds the reference solution)."""
    spec = importlib.util.find_spec("initgrader")
    return [os.path.realpath(p) for p in (spec.submodule_search_locations or [])] if spec else []


def _executable_chain(path):
    """*path* and every file its symbolic links pass through."""
    chain = [path]
    for _ in range(40):
        if not os.path.islink(path):
            break
        path = os.path.join(os.path.dirname(path), os.readlink(path))
        chain.append(os.path.normpath(path))
    return chain


def _holds(directory, package):
    return os.path.dirname(package) == os.path.realpath(directory)


@functools.lru_cache(maxsize=None)
def python_tree(python=sys.executable):
    """(directories, hidden): what to offer read-only, and grader packages inside them.

    Each directory is offered under its spelled path and under its real path.
    A ``sys.path`` entry holding the grader package is skipped unless it is a
    site-packages directory (then the package inside it is hidden instead):
    anywhere else it is a checkout of the kit, with the solutions beside it.
    """
    names = interpreter_paths(python)
    prefixes, executable, entries = names[:4], names[4], names[5:]
    packages = _grader_packages()
    wanted = list(prefixes) + [os.path.dirname(p) for p in _executable_chain(executable)]
    hidden = []
    for entry in entries:
        inside = [p for p in packages if _holds(entry, p)]
        if inside and os.path.basename(os.path.normpath(entry)) not in SITE_DIRS:
            continue
        hidden += inside
        wanted.append(entry)
    directories = set()
    for path in wanted:
        if os.path.isdir(path):
            directories.add(os.path.normpath(os.path.abspath(path)))
            directories.add(os.path.realpath(path))
    return tuple(_outermost(directories)), tuple(sorted(set(hidden)))


def _outermost(paths):
    """Drop paths inside another one of *paths*, or inside the system directories.

    A path reached through a system directory's symbolic link (/lib -> usr/lib)
    counts as inside it: the sandbox offers the link, not a copy of it.
    """
    roots = [os.path.realpath(d) for d in SYSTEM_DIRS if os.path.isdir(d)]
    kept = []
    for path in sorted(paths, key=len):
        if any(_inside(path, other) for other in kept) or \
                any(_inside(os.path.realpath(path), root) for root in roots):
            continue
        kept.append(path)
    return sorted(kept)


def _inside(path, root):
    return path == root or path.startswith(root.rstrip("/") + "/")
