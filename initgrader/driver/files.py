"""Reading a folder as data: its regular files, never following a symbolic link, within limits."""
import dataclasses
import errno
import fnmatch
import os
import stat


@dataclasses.dataclass(frozen=True)
class Limits:
    """How much one folder may hold; anything beyond is refused, not read."""
    max_file_bytes: int = 100 * 1024**2
    max_total_bytes: int = 200 * 1024**2
    max_files: int = 1000


@dataclasses.dataclass
class Ingested:
    """A folder as data: regular files by path relative to it, and what was left out, with why."""
    files: dict = dataclasses.field(default_factory=dict)
    refused: list = dataclasses.field(default_factory=list)  # (relative path, reason)


def read_regular_files(folder, limits, ignore=()):
    """The regular files under ``folder``, never following a symbolic link, within ``limits``.

    Names matching a glob of ``ignore`` (files and folders) are skipped. A link (to a file or a folder), a device, a pipe or a socket is refused;
    a file is opened with ``O_NOFOLLOW`` and checked again once open, so
    swapping it for a link while it is read refuses it too.
    """
    found = Ingested()
    if os.path.islink(folder):
        found.refused.append((".", "a symbolic link"))
        return found
    total = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [name for name in dirnames if not _ignored(name, ignore)]
        filenames = [name for name in filenames if not _ignored(name, ignore)]
        for name in list(dirnames):
            if os.path.islink(os.path.join(dirpath, name)):
                dirnames.remove(name)
                found.refused.append((_relative(dirpath, name, folder), "a symbolic link"))
        dirnames.sort()
        for name in sorted(filenames):
            relpath = _relative(dirpath, name, folder)
            if len(found.files) >= limits.max_files:
                found.refused.append((relpath, f"over the limit of {limits.max_files} files"))
                continue
            path = os.path.join(dirpath, name)
            data, problem = _read_regular(path, min(limits.max_file_bytes, limits.max_total_bytes - total))
            if problem == TOO_LARGE:
                problem = (f"larger than {limits.max_file_bytes} bytes"
                           if os.lstat(path).st_size > limits.max_file_bytes
                           else f"over the limit of {limits.max_total_bytes} bytes for the whole folder")
            if problem:
                found.refused.append((relpath, problem))
                continue
            found.files[relpath] = data
            total += len(data)
    return found


TOO_LARGE = "too large"


def _ignored(name, patterns):
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def _relative(dirpath, name, folder):
    return os.path.relpath(os.path.join(dirpath, name), folder)


def _read_regular(path, budget):
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None, "a symbolic link"
        return None, f"unreadable ({error.strerror})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, "not a regular file"
        if info.st_size > budget:
            return None, TOO_LARGE
        chunks, size = [], 0
        while size <= budget:
            chunk = os.read(fd, min(1024**2, budget + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > budget:
            return None, TOO_LARGE
        return b"".join(chunks), None
    finally:
        os.close(fd)
