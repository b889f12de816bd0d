"""Walk an untrusted folder without following anything, within bounds.

Every name is resolved relative to an open directory (``dir_fd``), with
``O_NOFOLLOW`` and ``O_NONBLOCK``, and its type is taken from ``lstat``: a
symbolic link is never followed, a FIFO or device is never opened, and a
file that changes between ``lstat`` and ``open`` is noticed with ``fstat``.
The walk keeps its own stack, so no depth overflows Python's recursion, and
it stops listing a folder after the entries it may accept.
"""
import dataclasses
import os
import stat

from . import timestamp

DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
TIMESTAMP = "timestamp.txt"
WHOLE = "."
# A folder is listed up to this many times the submission's entry bound: within it, the entries that fit
# are accepted and the rest refused one by one; beyond it, the folder is refused as a whole.
LISTED = 20


@dataclasses.dataclass(frozen=True)
class Refusal:
    """Something in a submission the grader did not accept, and why."""
    path: str  # relative to the submission folder; "." is the submission as a whole
    # symlink, hardlink, fifo, socket, device, special, too-deep, too-many, too-large, timestamp, grader-file, ...
    kind: str
    reason: str  # a clause naming the object: "notes.json is a symbolic link"
    moved_to: str = None  # where it now is, relative to the course root, if it was moved

    def sentence(self):
        where = f"it was moved to {shown(self.moved_to)}" if self.moved_to else "it was left in place and not read"
        return f"{self.reason}; {where}"

    def as_dict(self):
        return dataclasses.asdict(self)

    def for_notebook(self):
        """The refusal as notebook metadata: names are text there, so undecodable bytes are escaped."""
        return {key: shown(value) if isinstance(value, str) else value for key, value in self.as_dict().items()}

    @classmethod
    def from_dict(cls, data):
        return cls(**{field.name: data.get(field.name) for field in dataclasses.fields(cls)})


@dataclasses.dataclass
class Accepted:
    """A regular file of the submission and its content."""
    path: str
    data: bytes


@dataclasses.dataclass
class Refused:
    """A refusal met during the walk; ``parent_fd`` and ``name`` locate the object while it is reported."""
    refusal: Refusal
    parent_fd: int
    name: str


def shown(text):
    """A file name fit for a sentence: undecodable bytes and control characters escaped."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def what(st):
    """(kind, clause) for anything that is neither a regular file nor a folder."""
    mode = st.st_mode
    if stat.S_ISLNK(mode):
        return "symlink", "is a symbolic link"
    if stat.S_ISFIFO(mode):
        return "fifo", "is a named pipe (FIFO), not a file"
    if stat.S_ISSOCK(mode):
        return "socket", "is a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device", "is a device, not a file"
    return "special", "is not a regular file"


def hard_link(nlink):
    return f"is a hard link: one of {nlink} names of one file, which may be any file on the disk"


class Changed(Exception):
    """The object is not what ``lstat`` said a moment ago."""


def read_regular(dir_fd, name, st, limit, hard_links=False):
    """The content of a regular file that ``lstat`` reported as ``st``, at most ``limit`` bytes.

    Raises ``Changed`` (or ``OSError``) if it is not that same single-named file any more.
    """
    fd = os.open(name, FILE, dir_fd=dir_fd)
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            raise Changed("changed while it was being read")
        if now.st_nlink > 1 and not hard_links:
            raise Changed(hard_link(now.st_nlink))
        if now.st_size > limit:
            raise Changed("grew while it was being read")
        chunks, left = [], now.st_size + 1
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        if len(data) != now.st_size:
            raise Changed("changed size while it was being read")
        return data
    finally:
        os.close(fd)


def listing(fd, cap):
    """Up to ``cap`` names in the folder ``fd``, or None if it holds more."""
    names = []
    with os.scandir(fd) as entries:
        for entry in entries:
            if len(names) == cap:
                return None
            names.append(entry.name)
    return names


def top_order(name):
    """timestamp.txt first, then notebooks, then the rest: the files that matter fit the budget first."""
    return (name != TIMESTAMP, not name.endswith(".ipynb"), name)


@dataclasses.dataclass
class _Frame:
    fd: int
    path: str
    depth: int
    parent_fd: int = None
    name: str = None
    subdirs: list = None


def walk(top_fd, limits, hard_links=False, grader_files=None):
    """Yield ``Accepted`` and ``Refused`` for everything under the open folder ``top_fd``.

    Accepted files are single-named regular files, read in full; a folder
    holding more than ``LISTED`` times the entries a submission may is
    refused as a unit, as is a folder nested deeper than ``limits.max_depth``. Hard links
    are accepted only if ``hard_links`` (in a folder the course owns). ``grader_files``
    ({relative path: what the grader puts there}) are paths where the grader writes or reads a file of
    its own: a folder there, or a file where one of them needs a folder, is refused. While a
    ``Refused`` is being handled its parent folder is open, so the caller may
    rename it away (``os.rename(name, ..., src_dir_fd=parent_fd)``).
    """
    grader_files = grader_files or {}
    grader_folders = {}
    for path, purpose in sorted(grader_files.items()):
        folder = os.path.dirname(path)
        while folder:
            grader_folders.setdefault(folder, (path, purpose))
            folder = os.path.dirname(folder)
    count, left = 0, limits.max_bytes
    stack = [_Frame(os.dup(top_fd), "", 0)]
    try:
        while stack:
            frame = stack[-1]
            if frame.subdirs is None:
                names = listing(frame.fd, LISTED * limits.max_files)
                if names is None:
                    label = "the submission" if frame.parent_fd is None else frame.path
                    yield Refused(Refusal(frame.path or WHOLE, "too-many",
                                          f"{shown(label)} holds more than {LISTED * limits.max_files} files and "
                                          "folders in one place"), frame.parent_fd, frame.name)
                    os.close(stack.pop().fd)
                    continue
                frame.subdirs = []
                for name in sorted(names, key=top_order if frame.depth == 0 else None):
                    path = os.path.join(frame.path, name)
                    try:
                        st = os.stat(name, dir_fd=frame.fd, follow_symlinks=False)
                    except FileNotFoundError:
                        continue
                    count += 1
                    if count > limits.max_files:
                        yield Refused(Refusal(path, "too-many", f"{shown(path)} is beyond the first "
                                                                f"{limits.max_files} files and folders of the "
                                                                "submission"), frame.fd, name)
                    elif stat.S_ISDIR(st.st_mode) and path in grader_files:
                        yield Refused(Refusal(path, "grader-file", f"{shown(path)} is a folder where the grader "
                                                                   f"puts a file of that name "
                                                                   f"({grader_files[path]})"), frame.fd, name)
                    elif stat.S_ISREG(st.st_mode) and path in grader_folders:
                        inner, purpose = grader_folders[path]
                        yield Refused(Refusal(path, "grader-file", f"{shown(path)} is a file where the grader puts "
                                                                   f"a folder holding {shown(inner)} ({purpose})"),
                                      frame.fd, name)
                    elif stat.S_ISDIR(st.st_mode):
                        if frame.depth + 1 > limits.max_depth:
                            yield Refused(Refusal(path, "too-deep", f"{shown(path)} is a folder nested more than "
                                                                    f"{limits.max_depth} levels deep"), frame.fd, name)
                        else:
                            frame.subdirs.append((name, st))
                    elif stat.S_ISREG(st.st_mode):
                        item = _regular(frame, name, path, st, left, limits, hard_links)
                        if isinstance(item, Accepted):
                            left -= len(item.data)
                        yield item
                    else:
                        kind, clause = what(st)
                        yield Refused(Refusal(path, kind, f"{shown(path)} {clause}"), frame.fd, name)
                frame.subdirs.reverse()
            if not frame.subdirs:
                os.close(stack.pop().fd)
                continue
            name, st = frame.subdirs.pop()
            path = os.path.join(frame.path, name)
            if count >= limits.max_files:
                yield Refused(Refusal(path, "too-many", f"{shown(path)} is a folder whose content is beyond the "
                                                        f"first {limits.max_files} files and folders of the "
                                                        "submission"), frame.fd, name)
                continue
            try:
                fd = open_directory(frame.fd, name, st)
            except (OSError, Changed) as error:
                yield Refused(Refusal(path, "unreadable", f"{shown(path)} could not be opened ({_why(error)})"),
                              frame.fd, name)
                continue
            stack.append(_Frame(fd, path, frame.depth + 1, frame.fd, name))
    finally:
        for frame in stack:
            os.close(frame.fd)


def _regular(frame, name, path, st, left, limits, hard_links):
    if st.st_nlink > 1 and not hard_links:
        return Refused(Refusal(path, "hardlink", f"{shown(path)} {hard_link(st.st_nlink)}"), frame.fd, name)
    if st.st_size > left:
        return Refused(Refusal(path, "too-large", f"{shown(path)} is {st.st_size / 1024**2:.1f} MB, more than the "
                                                  f"{limits.max_bytes / 1024**2:.0f} MB the submission's files may "
                                                  "total"), frame.fd, name)
    try:
        data = read_regular(frame.fd, name, st, left, hard_links)
    except (OSError, Changed) as error:
        return Refused(Refusal(path, "unreadable", f"{shown(path)} could not be read ({_why(error)})"),
                       frame.fd, name)
    if frame.depth == 0 and name == TIMESTAMP:
        problem = timestamp.problem(data, limits.max_timestamp_bytes)
        if problem:
            return Refused(Refusal(path, "timestamp", f"{TIMESTAMP} {problem}, so the submission is graded "
                                                      "without a submission time"), frame.fd, name)
    return Accepted(path, data)


def _why(error):
    return error.strerror if isinstance(error, OSError) and error.strerror else str(error)


def open_directory(parent_fd, name, st):
    """Open the folder ``name`` that ``lstat`` reported as ``st``; never a link, never another folder."""
    fd = os.open(name, DIRECTORY, dir_fd=parent_fd)
    now = os.fstat(fd)
    if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
        os.close(fd)
        raise Changed("changed while it was being opened")
    return fd


@dataclasses.dataclass
class Location:
    """A submission's folder: the part of its path the course controls, and the parts a student may."""
    trusted: str
    parts: list
    labels: list

    @property
    def path(self):
        return os.path.join(self.trusted, *self.parts)


def locate(coursedir, step, student, assignment):
    """Where ``step`` (e.g. submitted/) keeps ``student``'s ``assignment``, split at the first folder named
    after the student: the instructor may link what comes before (a shared ``submitted/``), never what follows."""
    template = [part for part in coursedir.directory_structure.split("/") if part]
    values = dict(nbgrader_step=step, student_id=student, assignment_id=assignment)
    first = next((i for i, part in enumerate(template) if "{student_id}" in part), len(template))
    parts = [part.format(**values) for part in template]
    for part in parts[first:]:
        if part in ("", os.curdir, os.pardir) or os.sep in part or "\0" in part:
            raise ValueError(f"{shown(part)!r} cannot be a folder name")
    labels = ["student folder" if "{student_id}" in part else
              "assignment folder" if "{assignment_id}" in part else "folder" for part in template[first:]]
    return Location(os.path.join(coursedir.root, *parts[:first]), parts[first:], labels)


@dataclasses.dataclass
class Opened:
    """The submission folder opened, or why it could not be.

    ``parent_fd`` and ``name`` locate the submission folder, or the link or
    non-folder on the way to it, so that it can be moved as a whole.
    """
    fd: int = None
    refusal: Refusal = None
    parent_fd: int = None
    name: str = None
    index: int = None  # of the culprit in ``Location.parts``
    missing: bool = False

    def close(self):
        for fd in (self.fd, self.parent_fd):
            if fd is not None:
                os.close(fd)


def open_location(location, root):
    """Open ``location``'s folder: the trusted part as the course has it, each student-controlled part without
    following anything. A link or non-folder on the way refuses the whole submission."""
    try:
        fd, parent = os.open(location.trusted, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC), None
    except FileNotFoundError:
        return Opened(missing=True)
    shown_path = os.path.relpath(location.trusted, root)
    for index, (part, label) in enumerate(zip(location.parts, location.labels)):
        shown_path = os.path.normpath(os.path.join(shown_path, part))
        try:
            st = os.stat(part, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            Opened(fd=fd, parent_fd=parent).close()
            return Opened(missing=True)
        if stat.S_ISDIR(st.st_mode):
            try:
                child = open_directory(fd, part, st)
            except (OSError, Changed) as error:
                if parent is not None:
                    os.close(parent)
                return Opened(refusal=Refusal(WHOLE, "unreadable", f"the {label} {shown(shown_path)} could not be "
                                                                   f"opened ({_why(error)})"), parent_fd=fd, name=part,
                              index=index)
            if parent is not None:
                os.close(parent)
            parent, fd = fd, child
            continue
        if parent is not None:
            os.close(parent)
        kind, clause = what(st) if not stat.S_ISREG(st.st_mode) else ("not-a-folder", "is a file, not a folder")
        return Opened(refusal=Refusal(WHOLE, kind, f"the {label} {shown(shown_path)} {clause}"),
                      parent_fd=fd, name=part, index=index)
    return Opened(fd=fd, parent_fd=parent, name=location.parts[-1] if location.parts else None,
                  index=len(location.parts) - 1)
