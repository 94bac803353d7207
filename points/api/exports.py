"""Exports through the API: the file itself, streamed, scoped by the caller's role at this moment."""
from flask import Response, g, request, stream_with_context

from points.accounts.models import Role
from points.api.auth import token_required
from points.api.blueprint import Blueprint
from points.exports import operations, writers
from points.exports.kinds import KINDS

blp = Blueprint("exports", __name__, url_prefix="/api/v1", description="Exports (admins and reviewers)")

ERROR = {"application/json": {"schema": "Error"}}
FILE = {
    "description": "The file: CSV in UTF-8 with a BOM, or an Excel workbook; named in Content-Disposition",
    "content": {writers.CSV_TYPE: {"schema": {"type": "string"}},
                writers.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
}
KIND = {"in": "path", "name": "kind", "required": True, "description": "What to export",
        "schema": {"type": "string", "enum": list(KINDS), "example": "transfers"}}


@blp.get("/exports/<kind>")
# The filters' schema by name, resolved when the document is made: points.exports.filters needs the API's fields.
@token_required(Role.ADMIN, Role.REVIEWER)
@blp.doc(parameters=[KIND, {"in": "query", "schema": "ExportQuery"}], responses={
    "200": FILE,
    "400": {"description": "A filter cannot be read (error.fields names it)", "content": ERROR},
    "403": {"description": "Residents and venue staff cannot export; reviewers not the audit log", "content": ERROR},
    "404": {"description": "No such kind, or a community the caller does not look after", "content": ERROR},
})
def export(kind):
    """Transfers, residents, claims, bookings, activities, the audit log (admins) or the monthly
    statement as CSV or XLSX: the days from/to of the scheme's calendar (both included), one community;
    a reviewer gets their own community's rows, phone numbers masked."""
    download = operations.stream(operations.ask(g.api_user, kind, request.args))
    return Response(stream_with_context(download.body), mimetype=download.mimetype,
                    headers={"Content-Disposition": download.disposition, "Cache-Control": "no-store"})
