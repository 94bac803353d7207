"""Signing in for a token and out again, and the signed-in person's own balance and history."""
from flask import g, make_response
from flask_babel import lazy_gettext as _l
from points.api.blueprint import Blueprint

from points import ledger
from points.accounts import codes
from points.accounts import operations as accounts
from points.api.auth import Unauthorized, token_required
from points.expiry import operations as expiry
from points.api.schemas import ActivateRequest, LedgerPage, LedgerQuery, MeOut, TokenOut, TokenRequest
from points.extensions import limiter
from points.lifecycle import refusal_answer
from points.routing import is_id
from points.security import login_limit_per_address, login_limit_per_phone, login_phone_key

blp = Blueprint("me", __name__, url_prefix="/api/v1", description="Tokens and the signed-in person")


class BadCredentials(Unauthorized):
    code = "invalid_credentials"
    message = _l("The mobile number or the password is not correct.")


@blp.post("/auth/token")
@limiter.shared_limit(login_limit_per_phone, "sign-in-phone", key_func=login_phone_key)
@limiter.shared_limit(login_limit_per_address, "sign-in-address")
@blp.arguments(TokenRequest)
@blp.response(201, TokenOut)
@blp.doc(security=[])
def create_token(credentials):
    """Exchange a mobile number and password for a bearer token."""
    user = accounts.authenticate(credentials["phone"], credentials["password"])
    if user is None:
        raise BadCredentials()
    token, record = accounts.issue_token(user)
    return {"token": token, "expires_at": record.expires_at, "user": person(user)}


@blp.post("/auth/activate")
@limiter.shared_limit(login_limit_per_phone, "sign-in-phone", key_func=login_phone_key)
@limiter.shared_limit(login_limit_per_address, "sign-in-address")
@blp.arguments(ActivateRequest)
@blp.response(200, TokenOut)
@blp.doc(security=[])
def activate(body):
    """Set a password with a one-time code from the community office, and get a bearer token.

    Every other session and token of the person ends. 401 `code_not_working` whatever is wrong with
    the phone or the code (unknown, wrong, expired, used, void), as for a wrong password; 422 `invalid`
    for a password that is too short."""
    try:
        user = codes.use_code(body["phone"], body["code"], body["password"])
    except codes.CodeDoesNotWork as refusal:
        return make_response(refusal_answer(refusal))  # a refusal that keeps its write: the try is counted
    token, record = accounts.issue_token(user)
    return {"token": token, "expires_at": record.expires_at, "user": person(user)}


@blp.delete("/auth/token")
@token_required()
@blp.response(204)
def revoke_token():
    """Sign this client out: the token sent stops working; the person's other tokens and sessions do not."""
    accounts.revoke_token(g.api_token)


@blp.get("/me")
@token_required()
@blp.response(200, MeOut)
def me():
    """The signed-in person with their balance, read from the account row."""
    account = g.api_account
    balance = {"available": account.available, "held": account.held, "earned_total": account.earned_total}
    notice = expiry.notice(g.api_user.id, account.id)
    expiring = {"points": notice.points, "on": notice.on} if notice else None
    return {**person(g.api_user), "balance": balance, "expiring": expiring}


@blp.get("/me/ledger")
@token_required()
@blp.arguments(LedgerQuery, location="query")
@blp.response(200, LedgerPage)
def my_ledger(query):
    """The person's transfers, newest first; pass next_cursor back as cursor for the next page."""
    # A cursor past every id (ids fit an INTEGER column) simply means "from the newest".
    before = int(query["cursor"]) if query["cursor"] else None
    before = before if is_id(before) else None
    lines = ledger.history(g.api_user.id, limit=query["limit"], before=before)
    more = len(lines) == query["limit"]
    return {"items": [ledger_item(line) for line in lines], "next_cursor": str(lines[-1].transfer.id) if more else None}


def person(user):
    community = user.community
    return {
        "id": user.id, "name": user.name, "phone": user.masked_phone, "roles": user.role_names,
        "community": {"id": community.id, "name": community.name} if community else None,
    }


def ledger_item(line):
    t = line.transfer
    return {
        "id": t.id, "kind": str(t.kind), "amount": t.amount, "change": line.change, "on_hold": line.open_hold,
        "reason": t.reason, "category": t.category, "ref_type": t.ref_type, "ref_id": t.ref_id,
        "created_at": t.created_at, "reverses_id": t.reverses_id, "reversed_by": line.reversed_by,
    }
