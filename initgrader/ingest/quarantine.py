"""Where refused objects go, and the record of why.

A refused object is renamed, never copied or followed, into
``quarantine/<student>/<assignment>/<time>/`` (``Ingest.quarantine_directory``
laid out like the course's other steps), outside every path nbgrader reads.
``refused.json`` beside those folders records what was refused and the
digest of what was accepted: a later run of the same submission (its
refused objects already gone) repeats the reasons, and a grading worker
learns them from the copy its coordinator sends.
"""
import datetime
import hashlib
import json
import os
import stat

from .tree import WHOLE, Changed, Refusal, locate, open_directory, read_regular, shown

RECORD = "refused.json"
MAX_RECORD_BYTES = 4 * 1024**2


class QuarantineError(Exception):
    """A refused object could not be moved out of nbgrader's way."""


def digest(hashed):
    """Digest of accepted files, from (relative path, sha256 of the content) pairs in any order."""
    h = hashlib.sha256()
    for path, content in sorted(hashed):
        h.update(path.encode("utf-8", "surrogateescape") + b"\0" + content)
    return h.hexdigest()


def record_bytes(digest_, refused, stand_ins=()):
    return json.dumps({"digest": digest_, "refused": [r.as_dict() for r in refused],
                       "stand_ins": sorted(stand_ins)}, indent=1).encode()


def parse_record(data):
    """(digest, [Refusal], stand-in names) from a record's bytes; None if it is not one."""
    try:
        record = json.loads(data)
        refused = [Refusal.from_dict(item) for item in record["refused"]]
        if not (isinstance(record["digest"], str)
                and all(isinstance(r.path, str) and isinstance(r.kind, str) and isinstance(r.reason, str)
                        and isinstance(r.moved_to, (str, type(None))) for r in refused)
                and all(isinstance(name, str) for name in record["stand_ins"])):
            return None
        return record["digest"], refused, set(record["stand_ins"])
    except (ValueError, KeyError, TypeError):
        return None


class Shelf:
    """The quarantine folder of one submission, created only when something must go there."""

    def __init__(self, coursedir, directory, student, assignment):
        self.location = locate(coursedir, directory, student, assignment)
        self.root = coursedir.root
        self.stamp = None

    def _open(self, create):
        """The shelf's folder, or None if it does not exist and ``create`` is false."""
        if create:
            os.makedirs(self.location.trusted, exist_ok=True)
        try:
            fd = os.open(self.location.trusted, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        for part in self.location.parts:
            fd = _subfolder(fd, part, create)
            if fd is None and create:
                raise QuarantineError(f"{shown(self.shown())} vanished while it was being made")
            if fd is None:
                return None
        return fd

    def load(self):
        """The record (digest, refusals, stand-in names) kept here, or None."""
        fd = self._open(create=False)
        if fd is None:
            return None
        try:
            st = os.stat(RECORD, dir_fd=fd, follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_RECORD_BYTES:
                return None
            return parse_record(read_regular(fd, RECORD, st, MAX_RECORD_BYTES))
        except (FileNotFoundError, Changed):
            return None
        finally:
            os.close(fd)

    def save(self, data):
        fd = self._open(create=True)
        try:
            temporary = f".{RECORD}.{os.getpid()}"
            out = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644,
                          dir_fd=fd)
            with os.fdopen(out, "wb") as handle:
                handle.write(data)
            os.rename(temporary, RECORD, src_dir_fd=fd, dst_dir_fd=fd)
        finally:
            os.close(fd)

    def move(self, parent_fd, name, refusal, whole_name=None):
        """Rename ``name`` (in the folder ``parent_fd``) here; the refusal, saying where it went."""
        relative = whole_name if refusal.path == WHOLE else refusal.path
        fd = self._stamped(self._open(create=True))
        for part in relative.split(os.sep)[:-1]:
            fd = _subfolder(fd, part, create=True)
        try:
            os.rename(name, os.path.basename(relative), src_dir_fd=parent_fd, dst_dir_fd=fd)
        except OSError as error:
            raise QuarantineError(f"could not move {shown(relative)} to {shown(self.shown())}: "
                                  f"{error.strerror}") from error
        finally:
            os.close(fd)
        moved_to = os.path.join(self.shown(), self.stamp, relative)
        return Refusal(refusal.path, refusal.kind, refusal.reason, moved_to)

    def shown(self):
        return os.path.relpath(self.location.path, self.root)

    def _stamped(self, fd):
        """This run's folder inside the shelf ``fd`` (consumed): one per run, so nothing earlier is overwritten."""
        if self.stamp is None:
            base = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
            for attempt in range(1, 100):
                stamp = base if attempt == 1 else f"{base}-{attempt}"
                try:
                    os.mkdir(stamp, 0o755, dir_fd=fd)
                except FileExistsError:
                    continue
                except BaseException:
                    os.close(fd)
                    raise
                self.stamp = stamp
                break
            else:
                os.close(fd)
                raise QuarantineError(f"no free folder name in {shown(self.shown())}")
        return _subfolder(fd, self.stamp, create=False)


def _subfolder(parent_fd, name, create):
    """Open (creating it if asked) the real folder ``name`` in ``parent_fd``; ``parent_fd`` is closed, always."""
    try:
        if create:
            try:
                os.mkdir(name, 0o755, dir_fd=parent_fd)
            except FileExistsError:
                pass
        try:
            st = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        if not stat.S_ISDIR(st.st_mode):
            raise QuarantineError(f"{shown(name)} in the quarantine is not a folder")
        return open_directory(parent_fd, name, st)
    finally:
        os.close(parent_fd)

