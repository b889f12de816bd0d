"""How much of a submission the grader is willing to look at."""
import dataclasses
import os

from traitlets import Integer, TraitError, Unicode, validate
from traitlets.config import LoggingConfigurable

MB = 1024**2


@dataclasses.dataclass(frozen=True)
class Limits:
    """The bounds of one submission, as plain data (it travels to grading workers)."""
    max_depth: int = 8
    max_files: int = 500
    max_bytes: int = 100 * MB
    max_notebook_bytes: int = 50 * MB
    max_json_depth: int = 64
    max_json_items: int = 500_000
    max_json_containers: int = 100_000
    max_timestamp_bytes: int = 256


class Ingest(LoggingConfigurable):
    """The submission-ingest boundary's settings (``c.Ingest.*`` in nbgrader_config.py)."""

    max_depth = Integer(Limits.max_depth, min=0,
                        help="Folders a submission may nest; anything deeper is refused.").tag(config=True)
    max_files = Integer(Limits.max_files, min=1,
                        help="Files and folders a submission may hold, counted together; the ones beyond are "
                             "refused.").tag(config=True)
    max_bytes = Integer(Limits.max_bytes, min=0,
                        help="Bytes a submission's files may total; files that do not fit are refused.").tag(
        config=True)
    max_notebook_bytes = Integer(Limits.max_notebook_bytes, min=0,
                                 help="A larger notebook is not read.").tag(config=True)
    max_json_depth = Integer(Limits.max_json_depth, min=1,
                             help="Nesting a notebook's JSON may reach.").tag(config=True)
    max_json_items = Integer(Limits.max_json_items, min=1,
                             help="Values (strings, numbers, lists, objects and keys) a notebook's JSON may "
                                  "hold.").tag(config=True)
    max_json_containers = Integer(Limits.max_json_containers, min=1,
                                  help="Lists and objects a notebook's JSON may hold.").tag(config=True)
    max_timestamp_bytes = Integer(Limits.max_timestamp_bytes, min=0,
                                  help="A longer timestamp.txt is refused.").tag(config=True)
    quarantine_directory = Unicode(
        "quarantine",
        help="Where refused objects are moved, as a step of CourseDirectory.directory_structure "
             "(quarantine/<student>/<assignment>/ by default). Relative to the course root, on the same "
             "filesystem as the submissions: objects are renamed there, never copied.").tag(config=True)

    @validate("quarantine_directory")
    def _relative(self, proposal):
        value = proposal["value"]
        if not value or os.path.isabs(value) or os.pardir in value.split(os.sep):
            raise TraitError("Ingest.quarantine_directory must be a relative path inside the course")
        return value

    def limits(self):
        return Limits(**{field.name: getattr(self, field.name) for field in dataclasses.fields(Limits)})
