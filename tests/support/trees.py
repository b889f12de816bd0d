"""Filesystem objects the way attackers plant them, and tools that survive them.

Everything here works one open folder at a time and without recursion, so
a tree of any depth (longer than PATH_MAX, deeper than Python's recursion
limit) can be made, described and removed.
"""
import contextlib
import hashlib
import os
import stat

DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
CONTENT_BYTES = 8 * 1024**2  # larger files are described by size and mtime, not content


def make_deep(top, depth, name="d"):
    """A chain of ``depth`` folders called ``name`` under ``top``."""
    fd = os.open(top, DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
    finally:
        os.close(fd)


def remove_tree(path):
    """``rm -rf path`` for trees of any depth: down to a leaf folder, empty it, remove it, climb back by ".."."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(st.st_mode):
        os.unlink(path)
        return
    try:
        fd, names = os.open(path, DIRECTORY), []
    except FileNotFoundError:
        return
    try:
        while True:
            with os.scandir(fd) as entries:
                listed = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]
            # another remover may be at work in the same tree: what is gone is gone
            for name, is_dir in listed:
                if not is_dir:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(name, dir_fd=fd)
            folder = next((name for name, is_dir in listed if is_dir), None)
            if folder is not None:
                try:
                    child = os.open(folder, DIRECTORY, dir_fd=fd)
                except FileNotFoundError:
                    continue
                os.close(fd)
                fd = child
                names.append(folder)
            elif names:
                parent = os.open("..", DIRECTORY, dir_fd=fd)
                os.close(fd)
                fd = parent
                with contextlib.suppress(FileNotFoundError):
                    os.rmdir(names.pop(), dir_fd=fd)
            else:
                break
    finally:
        os.close(fd)
    with contextlib.suppress(FileNotFoundError):
        os.rmdir(path)


def describe(fd, name, st):
    """What an object is, in a form that changes if it is changed: content, link text, device numbers."""
    mode = st.st_mode
    if stat.S_ISREG(mode):
        if st.st_size > CONTENT_BYTES:
            return ("file", st.st_size, st.st_mtime_ns)
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=fd)
        with os.fdopen(handle, "rb") as f:
            return ("file", hashlib.sha256(f.read()).hexdigest())
    if stat.S_ISLNK(mode):
        return ("link", os.readlink(name, dir_fd=fd))
    if stat.S_ISDIR(mode):
        return ("dir",)
    return (stat.S_IFMT(mode), st.st_rdev)


def visit(top):
    """Yield (depth, relative path or None beyond depth 4, name, folder fd, lstat) for everything under ``top``."""
    fd = os.open(top, DIRECTORY)
    stack = [(sorted(os.listdir(fd), reverse=True), "")]
    try:
        while stack:
            names, path = stack[-1]
            if not names:
                stack.pop()
                if stack:
                    parent = os.open("..", DIRECTORY, dir_fd=fd)
                    os.close(fd)
                    fd = parent
                continue
            name = names.pop()
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            child_path = os.path.join(path, name) if path is not None and len(stack) <= 4 else None
            yield len(stack), child_path, name, fd, st
            if stat.S_ISDIR(st.st_mode):
                child = os.open(name, DIRECTORY, dir_fd=fd)
                os.close(fd)
                fd = child
                stack.append((sorted(os.listdir(fd), reverse=True), child_path))
    finally:
        os.close(fd)


def fingerprint(top):
    """{relative path: description} of an ordinary tree (source/, release/)."""
    if not os.path.isdir(top):
        return {}
    return {path: describe(fd, name, st) for _, path, name, fd, st in visit(top)}


def objects(*tops, skip=()):
    """{(device, inode): description} of every object under ``tops``: the same after a rename, anywhere.

    Names in ``skip`` (files the grader writes, such as quarantine records) are left out.
    """
    found = {}
    for top in tops:
        if os.path.isdir(top):
            for _, _, name, fd, st in visit(top):
                if name not in skip:
                    found[(st.st_dev, st.st_ino)] = describe(fd, name, st)
    return found


def renames_as_a_user(monkeypatch):
    """Make ``os.rename`` refuse what the kernel refuses a user who owns the files (root may rename anything):
    an entry of a folder without write permission, or a folder without write permission of its own (its ".."
    changes)."""
    rename = os.rename

    def checked(src, dst, *, src_dir_fd=None, dst_dir_fd=None):
        parent = os.fstat(src_dir_fd) if src_dir_fd is not None else os.stat(os.path.dirname(os.path.abspath(src)))
        moved = os.stat(src, dir_fd=src_dir_fd, follow_symlinks=False)
        if not parent.st_mode & stat.S_IWUSR or stat.S_ISDIR(moved.st_mode) and not moved.st_mode & stat.S_IWUSR:
            raise PermissionError(13, os.strerror(13), src)
        return rename(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)

    monkeypatch.setattr(os, "rename", checked)
