"""The import API's schemas: the upload, and a batch with what checking found and what was written."""
import marshmallow as ma

from points.imports.models import ImportStatus


class ImportFlags(ma.Schema):
    """The upload's fields beside the file, as read from the multipart form."""

    class Meta:
        unknown = ma.EXCLUDE

    dry_run = ma.fields.Boolean(load_default=False, metadata={
        "description": "Only check the file (status `checked`); confirm later with POST /imports/{id}/commit"})
    create_communities = ma.fields.Boolean(load_default=False, metadata={
        "description": "Create the communities the file names that do not exist yet, instead of refusing them"})


class ImportUpload(ImportFlags):
    file = ma.fields.Raw(required=True, metadata={
        "type": "string", "format": "binary", "minLength": 1,
        "description": "An Excel workbook (.xlsx) or a CSV file (UTF-8, with or without BOM, or GB18030/GBK) "
                       "with the columns 姓名/name, 手机号/phone, 社区/community and, if wanted, "
                       "期初积分/opening_points, 户号/household"})


class ProblemOut(ma.Schema):
    row = ma.fields.Integer(allow_none=True, required=True, metadata={
        "description": "As the spreadsheet numbers it, the header being row 1; null: the whole file"})
    column = ma.fields.String(allow_none=True, required=True, metadata={"description": "The header as written"})
    value = ma.fields.String(allow_none=True, required=True, metadata={"description": "The cell as read"})
    message = ma.fields.String(required=True, metadata={"description": "What is wrong, in the reader's language"})


class ProgressOut(ma.Schema):
    stage = ma.fields.String(allow_none=True, required=True, metadata={"description": "reading, checking or writing"})
    done = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True, metadata={"description": "About how many rows (0: not known yet)"})


class EarlierOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    finished_at = ma.fields.DateTime(allow_none=True, required=True)


class ImportOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={
        "enum": [s.value for s in ImportStatus],
        "description": "queued, checking, writing: still running (poll GET); checked: a dry run without "
                       "problems; done: written; failed: nothing written (see errors, or error)"})
    filename = ma.fields.String(required=True)
    dry_run = ma.fields.Boolean(required=True)
    rows = ma.fields.Integer(required=True, metadata={"description": "Data rows in the file"})
    ready = ma.fields.Integer(required=True, metadata={"description": "Rows that create or complete a resident"})
    skipped = ma.fields.Integer(required=True, metadata={"description": "Rows already imported: nothing to do"})
    created = ma.fields.Integer(required=True, metadata={"description": "Residents created"})
    opening_points = ma.fields.Integer(required=True, metadata={"description": "Opening balances written, in points"})
    errors = ma.fields.List(ma.fields.Nested(ProblemOut), required=True)
    error = ma.fields.String(allow_none=True, required=True, metadata={
        "description": "The work broke off (nothing was written): why"})
    progress = ma.fields.Nested(ProgressOut, required=True)
    earlier_import = ma.fields.Nested(EarlierOut, allow_none=True, required=True, metadata={
        "description": "The same file was imported before"})
    created_at = ma.fields.DateTime(required=True)
    finished_at = ma.fields.DateTime(allow_none=True, required=True)
