"""Signing in for a token, and the signed-in person's own balance and history."""
import base64

from flask import g
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint

from points import ledger
from points.accounts.operations import authenticate, issue_token
from points.api.auth import Unauthorized, token_required
from points.api.schemas import LedgerPage, LedgerQuery, MeOut, TokenOut, TokenRequest
from points.errors import Invalid
from points.extensions import limiter
from points.security import login_limit_per_address, login_limit_per_phone, login_phone_key

blp = Blueprint("me", __name__, url_prefix="/api/v1", description="Tokens and the signed-in person")


class BadCredentials(Unauthorized):
    code = "invalid_credentials"
    message = _l("The mobile number or the password is not correct.")


@blp.post("/auth/token")
@limiter.limit(login_limit_per_phone, key_func=login_phone_key)
@limiter.limit(login_limit_per_address)
@blp.arguments(TokenRequest)
@blp.response(201, TokenOut)
@blp.doc(security=[])
def create_token(credentials):
    """Exchange a mobile number and password for a bearer token."""
    user = authenticate(credentials["phone"], credentials["password"])
    if user is None:
        raise BadCredentials()
    token, record = issue_token(user)
    return {"token": token, "expires_at": record.expires_at, "user": person(user)}


@blp.get("/me")
@token_required()
@blp.response(200, MeOut)
def me():
    """The signed-in person with their balance, read from the account row."""
    account = g.api_account
    balance = {"available": account.available, "held": account.held, "earned_total": account.earned_total}
    return {**person(g.api_user), "balance": balance}


@blp.get("/me/ledger")
@token_required()
@blp.arguments(LedgerQuery, location="query")
@blp.response(200, LedgerPage)
def my_ledger(query):
    """The person's transfers, newest first; pass next_cursor back as cursor for the next page."""
    before = decode_cursor(query["cursor"])
    lines = ledger.history(g.api_user.id, limit=query["limit"], before=before)
    last = lines[-1].transfer.id if len(lines) == query["limit"] else None
    return {"items": [ledger_item(line) for line in lines], "next_cursor": encode_cursor(last)}


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
        "created_at": t.created_at,
    }


def encode_cursor(transfer_id):
    if transfer_id is None:
        return None
    return base64.urlsafe_b64encode(f"t{transfer_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor):
    """The transfer id inside a cursor; a cursor we did not make is a clear 422."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if text[0] == "t" and text[1:].isdigit():
            return int(text[1:])
    except (ValueError, IndexError, UnicodeDecodeError):
        pass
    raise Invalid(_l("This cursor is not valid; start again without one."), field="cursor")


