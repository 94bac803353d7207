"""Bearer-token authentication for the API (cookies never authenticate an API call)."""
from functools import cache, wraps

from flask import g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager, defer

from points.accounts.models import ApiToken, User
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
            g.api_user, g.api_account = _token_owner()
            if roles and not any(g.api_user.has_role(role) for role in roles):
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapper

    return decorator

def _token_owner():
    """One query: the token's user, their community and their account."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized()
    values = {"token_hash": hash_token(token.strip()), "now": now_utc()}
    row = db.session.execute(_owner_query(), values).first()
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
        .where(
            ApiToken.token_hash == bindparam("token_hash"),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > bindparam("now"),
            User.active.is_(True),
        )
    )
