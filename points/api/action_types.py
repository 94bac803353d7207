"""The action catalogue through the API: everyone signed in reads it, admins add to it."""
from flask import g
from points.api.blueprint import Blueprint

from points.accounts.models import Role
from points.api.auth import token_required
from points.api.earning_schemas import ActionTypeIn, ActionTypeOut
from points.earning import catalogue
from points.idempotency import idempotent

blp = Blueprint("action_types", __name__, url_prefix="/api/v1", description="The action catalogue")


@blp.get("/action-types")
@token_required()
@blp.response(200, ActionTypeOut(many=True))
def list_action_types():
    """Active actions, self-claimable ones first (admins also see retired ones)."""
    return catalogue.listed_for(g.api_user)


@blp.post("/action-types")
@token_required(Role.ADMIN)
@idempotent
@blp.arguments(ActionTypeIn)
@blp.response(201, ActionTypeOut)
def create_action_type(body):
    """Add an action (or, with negative points, a deduction item); a null cap means no cap."""
    return catalogue.create(g.api_user, **body)
