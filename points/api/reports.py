"""Reports through the API: the monthly statement."""
import marshmallow as ma
from flask import g

from points.accounts.models import Role
from points.api.auth import token_required
from points.api.blueprint import Blueprint
from points.api.schemas import id_field, matching
from points.reports import statement

blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="Reports (admins and reviewers)")


class MonthlyQuery(ma.Schema):
    month = ma.fields.String(required=True, validate=matching(statement.MONTH.pattern),
                             metadata={"description": "The month of the scheme's calendar, YYYY-MM",
                                       "example": "2026-11", "pattern": statement.MONTH.pattern})
    community_id = id_field(strict=False, load_default=None, metadata={
        "description": "One community (a reviewer's own by default); without it an admin gets the street"})


class Lines(ma.Schema):
    """A statement's lines: opening + awarded − deducted − redeemed − expired + reversed + adjusted
    + moved = closing (reversed, adjusted and moved are signed)."""

    opening = ma.fields.Integer(required=True)
    awarded = ma.fields.Integer(required=True)
    deducted = ma.fields.Integer(required=True)
    redeemed = ma.fields.Integer(required=True)
    expired = ma.fields.Integer(required=True)
    reversed = ma.fields.Integer(required=True)
    adjusted = ma.fields.Integer(required=True, metadata={"description": "Incl. paper balances brought in"})
    moved = ma.fields.Integer(required=True, metadata={"description": "Balances of residents who moved community"})
    closing = ma.fields.Integer(required=True)


class CommunityLines(Lines):
    community_id = ma.fields.Integer(allow_none=True, required=True,
                                     metadata={"description": "null: residents of no community"})
    name = ma.fields.String(required=True)


class MonthlyOut(CommunityLines):
    month = ma.fields.String(required=True, metadata={"example": "2026-11"})
    made_at = ma.fields.DateTime(required=True)
    checkpoint = ma.fields.Function(
        lambda s: s.checkpoint.fingerprint if s.checkpoint else None, allow_none=True, required=True,
        metadata={"description": "The latest ledger checkpoint's fingerprint, if one was made"})
    balances_now = ma.fields.Integer(allow_none=True, required=True, metadata={
        "description": "The street's current month only: the residents' balances now, equal to closing"})
    communities = ma.fields.List(ma.fields.Nested(CommunityLines), required=True)


@blp.get("/reports/monthly")
@token_required(Role.ADMIN, Role.REVIEWER)
@blp.arguments(MonthlyQuery, location="query")
@blp.response(200, MonthlyOut)
def monthly(query):
    """The monthly statement of the street (admins) or of one community."""
    return statement.monthly(g.api_user, statement.parse_month(query["month"]), query["community_id"])
