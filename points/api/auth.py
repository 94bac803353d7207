"""Bearer-token authentication for the API (cookies never authenticate an API call)."""
from functools import cache, wraps

from flask import g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, defer

from points.accounts.models import ApiToken, TokenKind, User
from points.accounts.operations import hash_token
from points.errors import Forbidden, Refusal
from points.extensions import db
from points.ledger import Account
from points.timeutil import now_utc

class Unauthorized(Refusal):
    code = "unauthorized"
    status = 401
    message = _l("Please sign in: the access token is missing, expired or revoked.")

def token_required(*roles):
    """Let the request through with a valid bearer token, and, if roles are named, one of them."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.api_token = _bearer_token()
            g.api_user, g.api_account = _token_owner(g.api_token)
            if roles and not any(g.api_user.has_role(role) for role in roles):
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapper

    return decorator

def _bearer_token():
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    return token.strip()


def _token_owner(token):
    """One query: the token's user, their community and their account."""
    row = db.session.execute(_owner_query(), {"token_hash": hash_token(token), "now": now_utc()}).first()
    if row is None:
        raise Unauthorized()
    return row


@cache
def _owner_query():
    """Built once: on the hot path, building a statement costs more than running it."""
    return (
        select(User, Account)
        .join(ApiToken, ApiToken.user_id == User.id)
        .join(Account, Account.user_id == User.id)
        .outerjoin(User.community)
        .options(contains_eager(User.community), defer(User.password_hash))
        .where(*ApiToken.signs_in(TokenKind.API))
    )
