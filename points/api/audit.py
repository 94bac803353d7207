"""The audit log through the API: who did what, for whom, newest first (admins only)."""
import marshmallow as ma

from points import audit
from points.accounts.models import Role
from points.api.auth import token_required
from points.api.blueprint import Blueprint
from points.api.schemas import Day, WholeNumber, between, id_field, matching

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="The audit log (admins)")


class AuditQuery(ma.Schema):
    actor_id = id_field(strict=False, load_default=None, metadata={"description": "Who did it"})
    action = ma.fields.String(load_default=None, validate=matching(audit.ACTION_PATTERN), metadata={
        "description": "An action such as claim.approved, or a family such as claim (every claim.*)"})
    from_ = Day(data_key="from", load_default=None,
                           metadata={"description": "First day, included (the scheme's calendar)"})
    to = Day(load_default=None, metadata={"description": "Last day, included"})
    limit = WholeNumber(load_default=audit.PAGE, validate=between(1, 100))
    cursor = ma.fields.String(load_default=None, validate=matching(r"^[1-9][0-9]{0,17}$"),
                              metadata={"description": "next_cursor from the previous page (opaque)"})


class PersonOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class AuditOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    created_at = ma.fields.DateTime(required=True)
    actor = ma.fields.Nested(PersonOut, allow_none=True, required=True,
                             metadata={"description": "null: a command run on the server"})
    for_user = ma.fields.Nested(PersonOut, allow_none=True, required=True,
                                metadata={"description": "The resident it was done for"})
    action = ma.fields.String(required=True, metadata={"example": "award.posted"})
    target_type = ma.fields.String(allow_none=True, required=True, metadata={"example": "transfers"})
    target_id = ma.fields.Integer(allow_none=True, required=True)
    details = ma.fields.Dict(required=True)
    address = ma.fields.String(allow_none=True, required=True)


class AuditPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AuditOut), required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True)


@blp.get("/audit")
@token_required(Role.ADMIN)
@blp.arguments(AuditQuery, location="query")
@blp.response(200, AuditPage)
def list_audit(query):
    """Audit rows, newest first; pass next_cursor back as cursor for the next (older) page."""
    before = int(query["cursor"]) if query["cursor"] else None
    items = audit.entries(query["actor_id"], query["action"], query["from_"], query["to"], before, query["limit"])
    more = len(items) == query["limit"]
    return {"items": items, "next_cursor": str(items[-1].id) if more else None}
