"""The ``autograded/`` tree: atomic replacement and the record of what was graded.

The record of a submission is ``autograded/<student>/.<assignment>.initgrader.json``,
beside (not inside) the output so that feedback never ships it. It is written
last, after the gradebook commit and the files, so its presence means the
whole result is in place.
"""
import json
import os
import shutil
import tempfile

SUFFIX = ".initgrader.json"


def record_path(output_dir):
    parent, assignment = os.path.split(os.path.normpath(output_dir))
    return os.path.join(parent, "." + assignment + SUFFIX)


def current(output_dir, digest):
    """The record of the output if it was produced from submitted files with
    this digest, else None."""
    try:
        with open(record_path(output_dir)) as f:
            record = json.load(f)
    except (OSError, ValueError):
        return None
    return record if record.get("digest") == digest and os.path.isdir(output_dir) else None


def replace(output_dir, files):
    """Swap in the new output directory; readers see the old or the new one."""
    parent = os.path.dirname(os.path.normpath(output_dir))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".initgrader-", dir=parent)
    modes = []
    for relpath, (data, mode) in files.items():
        path = os.path.join(staging, relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        modes.append((path, mode))
    for path, mode in modes:
        os.chmod(path, mode)
    os.chmod(staging, 0o755)
    if os.path.exists(output_dir):
        retired = tempfile.mkdtemp(prefix=".initgrader-old-", dir=parent)
        os.rename(output_dir, os.path.join(retired, "output"))
        os.rename(staging, output_dir)
        shutil.rmtree(retired)
    else:
        os.rename(staging, output_dir)


def remove(output_dir):
    """Drop the output of a failed submission, as nbgrader does."""
    forget(output_dir)
    shutil.rmtree(output_dir, ignore_errors=True)


def forget(output_dir):
    try:
        os.remove(record_path(output_dir))
    except FileNotFoundError:
        pass


def remember(output_dir, digest, **details):
    path = record_path(output_dir)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(dict(details, digest=digest), f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def sweep(parent):
    """Remove staging leftovers of an interrupted run."""
    if not os.path.isdir(parent):
        return
    for name in os.listdir(parent):
        if name.startswith(".initgrader-"):
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)
