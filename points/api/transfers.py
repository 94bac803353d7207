"""Corrections through the API: an admin reverses a transfer, with a reason."""
from flask import g

from points import ledger
from points.accounts.models import Role
from points.api.auth import token_required
from points.api.blueprint import Blueprint
from points.api.schemas import ReversalOut, ReverseIn
from points.earning import corrections
from points.idempotency import idempotent, transfer_key

blp = Blueprint("transfers", __name__, url_prefix="/api/v1", description="Corrections")


@blp.post("/transfers/<int:transfer_id>/reverse")
@token_required(Role.ADMIN)
@idempotent
@blp.arguments(ReverseIn)
@blp.response(201, ReversalOut)
@blp.alt_response(202, schema=ReversalOut, description="Above the four-eyes threshold: waiting for a second admin")
def reverse_transfer(body, transfer_id):
    """Reverse an award, deduction, redemption or adjustment; 409 `already_reversed`, `not_reversible`."""
    transfer = corrections.get_transfer(transfer_id)
    state, result = corrections.reverse(g.api_user, transfer, body["reason"], transfer_key("reversal"))
    if state == "pending":
        return {"status": "pending_approval", "request_id": result.id, "reverses_id": transfer.id,
                "amount": transfer.amount}, 202
    resident = corrections.resident_of(transfer)
    return {"status": "posted", "id": result.id, "kind": str(result.kind), "reverses_id": result.reverses_id,
            "amount": result.amount, "balance": ledger.balance(resident.id)}
