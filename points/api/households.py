"""The signed-in resident's household: its members, and passing points to one of them."""
import marshmallow as ma
from flask import g

from points import ledger
from points.accounts.models import Role, User
from points.api.auth import token_required
from points.api.blueprint import Blueprint
from points.api.schemas import BalanceOut, WholeNumber, between, id_field
from points.errors import NotFound
from points.extensions import db
from points.households import operations as households
from points.idempotency import idempotent, transfer_key

blp = Blueprint("households", __name__, url_prefix="/api/v1", description="Households (一户一卡)")


class MemberOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    head = ma.fields.Boolean(required=True, attribute="heads_household")
    balance = ma.fields.Nested(BalanceOut, allow_none=True, required=True,
                               metadata={"description": "Shown to the head only; null for other members"})


class HouseholdOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    number = ma.fields.String(allow_none=True, required=True, metadata={"description": "The office's 户号"})
    community = ma.fields.String(required=True)
    members = ma.fields.List(ma.fields.Nested(MemberOut), required=True)
    monthly_limit = ma.fields.Integer(required=True, metadata={"description": "Points a member may pass a month"})
    left_this_month = ma.fields.Integer(required=True, metadata={"description": "What you may still pass this month"})


class PassIn(ma.Schema):
    to_user_id = id_field(required=True)
    points = WholeNumber(required=True, strict=True, validate=between(1, households.MOST_POINTS))


class PassOut(ma.Schema):
    transfer_id = ma.fields.Integer(required=True)
    balance = ma.fields.Nested(BalanceOut, required=True, metadata={"description": "Your balance after passing"})


@blp.get("/me/household")
@token_required(Role.RESIDENT)
@blp.response(200, HouseholdOut)
def my_household():
    """Your household: its members (balances for the head) and what you may still pass this month."""
    return shown(my_own())


@blp.post("/me/household/transfers")
@token_required(Role.RESIDENT)
@idempotent
@blp.arguments(PassIn)
@blp.response(201, PassOut)
def pass_points(body):
    """Pass points to another member of your household (409 `monthly_limit_reached`, `insufficient_points`,
    `household_refused`)."""
    my_own()
    receiver = db.session.get(User, body["to_user_id"])
    record = households.pass_points(g.api_user, receiver, body["points"], transfer_key("household"))
    return {"transfer_id": record.id, "balance": ledger.balance(g.api_user.id)}


def my_own():
    if g.api_user.household_id is None:
        raise NotFound(households.NO_SUCH_HOUSEHOLD)
    return households.household_for(g.api_user, g.api_user.household_id)


def shown(household):
    balances = households.sees_balances(g.api_user, household)
    members = [{"id": p.id, "name": p.name, "heads_household": p.heads_household,
                "balance": ledger.balance(p.id) if balances else None} for p in households.members(household)]
    return {"id": household.id, "number": household.number, "community": household.community.name,
            "members": members, "monthly_limit": households.monthly_limit(),
            "left_this_month": households.left_this_month(g.api_user)}
