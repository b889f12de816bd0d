"""nbgrader's ``CheckCellMetadata``, with the cell schema compiled once.

nbgrader's validator reads its three schema files for every notebook and, through
``jsonschema.validate``, checks the schema itself against the JSON Schema
meta-schema before every cell: most of the kit's grading overhead.
``CompiledCheckCellMetadata`` runs nbgrader's own ``MetadataValidatorV3`` (schema
versions, grade ids, points, cell types, duplicate ids) with only the schema step
swapped for a validator compiled once per process, which raises the error
``jsonschema.validate`` would (the ``best_match`` of all of them).
"""
import functools
import traceback

import jsonschema
from jsonschema.exceptions import best_match

from nbgrader.nbgraderformat import SchemaTooNewError, SchemaTooOldError, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator
from nbgrader.nbgraderformat.v3 import MetadataValidatorV3
from nbgrader.preprocessors import CheckCellMetadata


class _CompiledSchemaStep(BaseMetadataValidator):
    """``BaseMetadataValidator.validate_cell`` with the compiled validator in place of ``jsonschema.validate``."""

    def validate_cell(self, cell):
        if "nbgrader" not in cell.metadata:
            return
        schema = cell.metadata["nbgrader"].get("schema_version", 0)
        if schema < self.schema_version:
            raise SchemaTooOldError(
                "Outdated schema version: {} (expected {})".format(schema, self.schema_version),
                schema, self.schema_version)
        elif schema > self.schema_version:
            raise SchemaTooNewError(
                "Schema version is too new: {} (expected {})".format(schema, self.schema_version),
                schema, self.schema_version)
        error = best_match(self.compiled.iter_errors(cell.metadata["nbgrader"]))
        if error is not None:
            raise error


class CompiledMetadataValidator(MetadataValidatorV3, _CompiledSchemaStep):
    """nbgrader's ``MetadataValidatorV3``; its ``super().validate_cell`` resolves to the compiled step."""

    def __init__(self):
        super().__init__()
        cls = jsonschema.validators.validator_for(self.schema)
        cls.check_schema(self.schema)
        self.compiled = cls(self.schema)


@functools.cache
def validator():
    return CompiledMetadataValidator()


class CompiledCheckCellMetadata(CheckCellMetadata):
    """A drop-in for nbgrader's ``CheckCellMetadata``: the same checks, logs and error."""

    def preprocess(self, nb, resources):
        try:
            validator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg)
        return nb, resources
