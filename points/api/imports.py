"""Importing residents through the API (admins): upload a file, follow its batch, confirm a preview."""
from flask import g, request
from flask_babel import lazy_gettext as _l

from points.accounts.models import Role
from points.api.auth import token_required
from points.api.blueprint import Blueprint
from points.api.import_schemas import ImportFlags, ImportOut, ImportUpload
from points.errors import Invalid
from points.idempotency import idempotent
from points.imports import jobs, residents

blp = Blueprint("imports", __name__, url_prefix="/api/v1", description="Importing residents (admins)")
BODY = {"required": True, "content": {"multipart/form-data": {"schema": ImportUpload}}}
NO_FILE = _l("Please choose the file to import.")


@blp.post("/imports")
@token_required(Role.ADMIN)
@idempotent
@blp.doc(requestBody=BODY)
@blp.response(201, ImportOut, description="Checked (a dry run) or written, or refused with its errors")
@blp.alt_response(202, schema=ImportOut, description="A large file: running in the background; poll GET")
def create_import():
    """Import residents and opening balances from a spreadsheet: all rows are written, or none."""
    flags = blp.ARGUMENTS_PARSER.parse(ImportFlags(), request, location="form")
    upload = request.files.get("file") if request.mimetype == "multipart/form-data" else None
    if upload is None:
        raise Invalid(NO_FILE, field="file")
    batch = residents.new_batch(g.api_user, upload.filename or "", upload.read(), dry_run=flags["dry_run"],
                                create_communities=flags["create_communities"])
    background = jobs.start(g.api_user, batch)
    return described(batch), 202 if background else 201


@blp.get("/imports/<int:import_id>")
@token_required(Role.ADMIN)
@blp.response(200, ImportOut)
def get_import(import_id):
    """A batch: how far it has got, what checking found, what was written."""
    batch = jobs.batch_or_404(import_id)
    jobs.look_after(batch)
    return described(batch)


@blp.post("/imports/<int:import_id>/commit")
@token_required(Role.ADMIN)
@idempotent
@blp.response(200, ImportOut, description="Written (or refused: the database changed since the preview)")
@blp.alt_response(202, schema=ImportOut, description="A large file: writing in the background; poll GET")
def commit_import(import_id):
    """Write a checked dry run; it is checked again first. 409 `import_not_checked` otherwise."""
    batch = jobs.batch_or_404(import_id)
    background = jobs.confirm(g.api_user, batch)
    return described(batch), 202 if background else 200


def described(batch):
    """The batch as the API shows it; problems in the reader's language."""
    stage, done, total = jobs.progress(batch)
    earlier = residents.earlier_import(batch)
    return {
        "id": batch.id, "status": str(batch.status), "filename": batch.filename, "dry_run": batch.dry_run,
        "rows": batch.rows, "ready": batch.ready, "skipped": batch.skipped, "created": batch.created,
        "opening_points": batch.opening_points, "error": batch.error,
        "errors": [{"row": p["row"], "column": p["column"], "value": p["value"], "message": residents.problem_text(p)}
                   for p in batch.problems],
        "progress": {"stage": stage, "done": done, "total": total},
        "earlier_import": {"id": earlier.id, "finished_at": earlier.finished_at} if earlier else None,
        "created_at": batch.created_at, "finished_at": batch.finished_at,
    }
