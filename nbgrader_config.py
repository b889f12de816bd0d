"""nbgrader configuration for the random-initialization course.

Every nbgrader command run from this folder, and the formgrader, reads this
file, so the kit's protections apply to all of them.
"""
import warnings

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, ClearMarkScheme, ClearOutput, DeduplicateIds, GetGrades,
                                    IgnorePattern, LimitOutput, OverwriteKernelspec, SaveAutoGrades)

from initgrader.plugins.checkmetadata import CompiledCheckCellMetadata
from initgrader.plugins.execute import SandboxedExecute
from initgrader.plugins.export import SafeCsvExportPlugin
from initgrader.plugins.exporter import SafeNotebookExporter
from initgrader.plugins.hooks import admit_submission
from initgrader.plugins.overwritecells import IndexedOverwriteCells
from initgrader.plugins.rebuild import RebuildFromSource
from initgrader.plugins.sanitize import (SanitizeForDisplay, SanitizeStudentMarkup, highlight_code, markdown2html,
                                        strip_files_prefix)
from initgrader.reports.feedback import ShowCheckResults
from sqlalchemy.exc import SAWarning

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

# nbgrader 0.9.6's gradebook relationships make SQLAlchemy 2.x warn about autoflush on every
# submission; the rows are written correctly (the end-to-end tests read them back).
warnings.filterwarnings("ignore", category=SAWarning)

c.CourseDirectory.course_id = "random_initialization"

# Autograding: admit submissions through the ingest boundary before nbgrader reads them (refused
# objects move to quarantine/), read notebooks defensively, rebuild on the source, run submission
# code in a sandbox. Bounds: c.Ingest.max_depth, max_files, max_bytes, max_notebook_bytes.
# CompiledCheckCellMetadata is nbgrader's CheckCellMetadata with its JSON schema compiled once;
# IndexedOverwriteCells is nbgrader's OverwriteCells with the notebook's cells read from the gradebook once.
c.Autograde.exporter_class = SafeNotebookExporter
c.Autograde.pre_convert_hook = admit_submission
c.Autograde.sanitize_preprocessors = [
    RebuildFromSource,
    SanitizeStudentMarkup,
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    IndexedOverwriteCells,
    CompiledCheckCellMetadata,
]
c.Autograde.autograde_preprocessors = [
    SandboxedExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CompiledCheckCellMetadata,
]
# nbconvert validates the whole notebook after every preprocessor unless told to do it once, at the end.
c.SafeNotebookExporter.optimistic_validation = True
c.SandboxedExecute.cell_timeout = 30
c.SandboxedExecute.call_timeout = 10
c.SandboxedExecute.submission_timeout = 300
c.SandboxedExecute.memory_limit = 2 * 1024**3
c.SandboxedExecute.skip_tags = ["demo"]
# Each student's hidden inputs are drawn from HMAC(secret, course/assignment/student). The secret is
# c.CheckInputs.secret, else $INITGRADER_SECRET, else .initgrader/secret in the course root (created on first use,
# never committed). Never write the secret itself into this file.
# Without root or user namespaces there is no sandbox; set this only for code you trust.
c.SandboxedExecute.allow_unisolated = False

# The mark scheme of the proof sits in the question cell: hidden from the release and from feedback,
# shown to graders in the formgrader.
c.ClearMarkScheme.enforce_metadata = False
# Feedback: a summary table of every check on top, and the verdict and message under each test cell.
c.GenerateFeedback.preprocessors = [GetGrades, ClearMarkScheme, CSSHTMLHeaderPreprocessor, ShowCheckResults]

# Markup from submissions: SanitizeStudentMarkup (above) makes it inert where it enters the graded notebook;
# these make it inert again wherever HTML is rendered from this course, the formgrader's submission view and
# the feedback alike. SanitizeForDisplay runs before the feedback steps above, so the kit's own verdict boxes
# stay; the markdown filter runs after them all, once the mark scheme is gone. The filters take time linear in
# the student's text (nbconvert's backtrack over unclosed math and brackets, and over code).
c.HTMLExporter.preprocessors = [SanitizeForDisplay]
c.HTMLExporter.filters = {"markdown2html": markdown2html, "strip_files_prefix": strip_files_prefix,
                          "highlight_code": highlight_code}

# nbgrader export: the same grades.csv, with ids and names quoted and never read as spreadsheet formulas.
c.ExportApp.plugin_class = SafeCsvExportPlugin
