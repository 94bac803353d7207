"""At the door: checking tickets in and redeeming walk-ins (staff at their venues; admins anywhere)."""
from flask import g
from points.api.blueprint import Blueprint

from points.accounts.models import Role
from points.api.auth import token_required
from points.api.redemption_schemas import CheckInIn, CheckInOut, WalkInIn, WalkInOut
from points.idempotency import idempotent, transfer_key
from points.redemption.checkin import check_in
from points.redemption.models import CheckInResult
from points.redemption.walkin import redeem_walk_in

blp = Blueprint("checkins", __name__, url_prefix="/api/v1", description="Check-in and walk-ins at the door")
STATUS = {CheckInResult.OK: 200, CheckInResult.UNKNOWN_CODE: 404}  # every other result: 409


@blp.post("/checkins")
@token_required(Role.STAFF, Role.ADMIN)
@blp.arguments(CheckInIn)
@blp.response(200, CheckInOut)
@blp.alt_response(409, schema=CheckInOut, description="Refused: already_used, cancelled, wrong_venue, "
                                                       "not_open_yet or session_over")
@blp.alt_response(404, schema=CheckInOut, description="unknown_code")
def create_checkin(body):
    """Check a ticket in. The body always has `result`; a retry with the same nonce counts once.

    A ticket this staff member checked in less than a minute ago is still `already_used` (409), with
    `just_by_you` true: show it as a calm confirmation (a reloaded app, a second phone), not a refusal."""
    answer = check_in(g.api_user, body["code"], body["venue_id"], body["nonce"])
    return checkin_out(answer), STATUS.get(answer.result, 409)


@blp.post("/walk-ins")
@token_required(Role.STAFF, Role.ADMIN)
@idempotent
@blp.arguments(WalkInIn)
@blp.response(201, WalkInOut)
def create_walk_in(body):
    """Redeem points at once for an offering, on a resident's member code (phone QR or card)."""
    return redeem_walk_in(g.api_user, body["member_code"], body["offering_id"], transfer_key("walk-in"))


def checkin_out(answer):
    return {
        "result": answer.result.value, "message": str(answer.message),
        "booking_id": answer.booking_id,
        "resident_name": answer.resident_name, "venue_name": answer.venue_name,
        "starts_at": answer.session_starts_at, "ends_at": answer.session_ends_at,
        "used_at": answer.used_at, "used_by_name": answer.used_by_name, "used_by_id": answer.used_by_id,
        "seconds_ago": answer.seconds_ago, "by_you": answer.by_you, "just_by_you": answer.just_by_you,
    }
