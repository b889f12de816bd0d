"""What travels between the coordinator and its workers: plain data only.

Everything a job needs is bytes, so a worker needs neither the course's
filesystem nor its database: only the same Python packages.
"""
import dataclasses

AUTOGRADE_FIELDS = {
    "submission": ("timestamp",),
    "notebook": ("late_submission_penalty",),
    "grade": ("auto_score", "needs_manual_grade"),
    "comment": ("auto_comment",),
}
"""The gradebook columns that ``nbgrader autograde`` writes; all others belong
to the instructor (manual scores, extensions, flags) and are never merged."""


@dataclasses.dataclass
class Course:
    """What every job of one run shares: sent once per worker."""
    assignment: str
    course_id: str
    config: bytes  # cloudpickled traitlets Config, as the app loaded it (see course.worker_config)
    files: dict  # path relative to the course root -> bytes (the assignment's source files)
    gradebook: bytes  # SQLite snapshot of the course gradebook
    log_level: int = 30
    warning_filters: bytes = b""  # cloudpickled warnings.filters, as the course's config left them


@dataclasses.dataclass
class Job:
    """One student's submission."""
    student: str
    files: dict  # path relative to the course root -> bytes (regular files only, from ingest.job_files)
    digest: str


@dataclasses.dataclass
class Result:
    """What a worker hands back."""
    student: str
    digest: str
    ok: bool
    reason: str = ""
    files: dict = dataclasses.field(default_factory=dict)  # relative to the output dir -> (bytes, mode)
    rows: dict = dataclasses.field(default_factory=dict)
    score: float = 0.0  # after the late penalty
    max_score: float = 0.0
    seconds: float = 0.0
    stages: dict = dataclasses.field(default_factory=dict)  # stage -> seconds


@dataclasses.dataclass
class Failed:
    """A job that produced no result (its worker died twice, or the cluster gave up on it), and why."""
    reason: str
