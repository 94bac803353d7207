"""Awards and deductions through the API, and the four-eyes decisions on large awards."""
from flask import g
from points.api.blueprint import Blueprint

from points import ledger
from points.accounts import reach
from points.accounts.models import Role
from points.api.auth import token_required
from points.api.schemas import AwardIn, AwardOut, AwardRequestOut, RefuseIn
from points.earning import awards
from points.idempotency import idempotent, transfer_key

blp = Blueprint("awards", __name__, url_prefix="/api/v1", description="Awards and deductions")


@blp.post("/awards")
@token_required(Role.REVIEWER, Role.ADMIN)
@idempotent
@blp.arguments(AwardIn)
@blp.response(201, AwardOut)
@blp.alt_response(202, schema=AwardOut, description="Waiting for a second admin")
def create_award(body):
    """Award points (or deduct, with negative points) to a resident, with a reason."""
    resident = reach.resident_for(g.api_user, body["user_id"], field="user_id")
    action_type = awards.find_action_type(body["action_type_id"])
    state, result = awards.give(
        g.api_user, resident, body["points"], transfer_key("award"), action_type, body["note"], body["quantity"],
    )
    if state == "pending":
        return {"status": "pending_approval", "request_id": result.id}, 202
    return {"status": "posted", "transfer_id": result.id, "balance": ledger.balance(resident.id)}


@blp.get("/award-requests")
@token_required(Role.ADMIN)
@blp.response(200, AwardRequestOut(many=True))
def list_award_requests():
    """Large awards waiting for a second admin."""
    return awards.pending_requests()


@blp.post("/award-requests/<int:request_id>/approve")
@token_required(Role.ADMIN)
@blp.response(200, AwardRequestOut)
def approve_award_request(request_id):
    """The second admin's approval: posts the award (once)."""
    request = awards.get_request(request_id)
    awards.approve(g.api_user, request)
    return request


@blp.post("/award-requests/<int:request_id>/refuse")
@token_required(Role.ADMIN)
@blp.arguments(RefuseIn)
@blp.response(200, AwardRequestOut)
def refuse_award_request(body, request_id):
    """The second admin's refusal, with a reason."""
    request = awards.get_request(request_id)
    awards.refuse(g.api_user, request, body["reason"])
    return request
