"""A submission's own copy of its folder, for the levels that have no private tmpfs.

The grader makes it (0700, owned by the submission's uid when it has one),
copies the grader-made folder of regular files into it, and removes it with
``rm -rf --one-file-system`` whatever the submission left inside: coreutils'
``rm`` walks any depth without recursion and never follows symbolic links.
"""

import os
import shutil
import subprocess
import tempfile

PREFIX = "initgrader-scratch-"
# Folders the worker's libraries write to, with IPython's modes: the submission cannot
# create folders itself (landlock), and IPython, finding them made, neither copies files
# into them with shutil.copy nor sets their modes, which the seccomp filter refuses.
HOME_DIRS = {".tmp": 0o700, ".matplotlib": 0o700, ".ipython/profile_default/log": 0o755,
             ".ipython/profile_default/startup": 0o755,
             ".ipython/profile_default/security": 0o700, ".ipython/profile_default/pid": 0o700}
# A submission's own entries under these names are not copied: the names are the worker's.
RESERVED = {name.split("/")[0] for name in HOME_DIRS}
REMOVE_TIMEOUT = 120


def create(workdir, uid=None):
    """A fresh scratch folder holding a copy of *workdir*; returns (path, its folders)."""
    path = tempfile.mkdtemp(prefix=PREFIX)
    try:
        fill(workdir, path)
        # copytree gave it the workdir's mode; it is this submission's alone
        os.chmod(path, 0o700)
        folders = [path]
        for parent, dirs, _ in os.walk(path):
            folders += [os.path.join(parent, d) for d in dirs]
        if uid is not None:
            # The copy is the grader's own, made a moment ago: nothing to race with.
            for folder in folders:
                os.chown(folder, uid, uid)
                for name in os.listdir(folder):
                    os.lchown(os.path.join(folder, name), uid, uid)
    except BaseException:
        remove(path)
        raise
    return path, folders


def fill(workdir, path):
    """Copy the grader-made *workdir* into the submission's home *path*, then make :data:`HOME_DIRS` there."""
    shutil.copytree(workdir, path, symlinks=True, dirs_exist_ok=True,
                    ignore=lambda folder, names: RESERVED & set(names) if folder == os.fspath(workdir) else ())
    for name, mode in HOME_DIRS.items():
        os.makedirs(os.path.join(path, name), exist_ok=True)
        os.chmod(os.path.join(path, name), mode)


def _run(argv):
    try:
        subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=REMOVE_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        pass


def remove(path):
    """Delete *path* and everything in it; True once it is gone."""
    if not os.path.lexists(path):
        return True
    _run(["rm", "-rf", "--one-file-system", "--", path])
    if os.path.lexists(path):
        # A folder its owner cannot list or enter (a submission that could change modes)
        # stops rm; chmod -R sets a folder's mode before reading it and skips symbolic links.
        _run(["chmod", "-R", "u+rwx", "--", path])
        _run(["rm", "-rf", "--one-file-system", "--", path])
    return not os.path.lexists(path)


def usage(folders):
    """(bytes allocated, entries) in *folders*, which the submission cannot add to.

    Raises OSError when a folder or an entry cannot be read: what it holds is then
    unknown, and unknown must not count as nothing.
    """
    size = count = 0
    for folder in folders:
        with os.scandir(folder) as entries:
            for entry in entries:
                count += 1
                try:
                    size += entry.stat(follow_symlinks=False).st_blocks * 512
                except FileNotFoundError:
                    pass
    return size, count
