"""Creating and managing people; signing in; sessions and API tokens. Functions flush, the request commits."""
import hashlib
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from points import audit, ledger, text
from points.accounts.models import (
    ApiToken,
    Community,
    Role,
    Street,
    TokenKind,
    User,
    valid_phone,
)
from points.atomic import atomic
from points.errors import Invalid
from points.households import operations as households
from points.extensions import db
from points.timeutil import now_utc

MIN_PASSWORD_LENGTH = 8
MAX_NAME = 50
# Checked when the phone is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not a password", method="scrypt")


@atomic
def create_user(phone, name, password, roles=Role.RESIDENT, community=None):
    """A new person with a points account. `community` is a Community or a name to find or create;
    `password` None: none yet, the person sets one with a one-time code (points.accounts.codes)."""
    phone, name = (phone or "").strip(), text.line(name, most=MAX_NAME, field="name")
    _check_new_user(phone, password, roles)
    _check_community(roles, community)
    user = User(phone=phone, name=name, roles=int(roles))
    if password is not None:
        user.set_password(password)
    if isinstance(community, str) and community.strip():
        community = community_named(community.strip())
    user.community = community or None
    db.session.add(user)
    db.session.flush()
    ledger.open_account(user.id)
    return user


@atomic
def add_user(actor, phone, name, password, roles=Role.RESIDENT, community=None):
    """`create_user` on an admin's word (actor None: a command), recorded in the audit log; a person
    registering themselves is not recorded."""
    user = create_user(phone, name, password, roles, community)
    audit.record(actor, "user.created", user, roles=Role(user.roles).names,
                 community=user.community.name if user.community else None)
    return user


def _check_new_user(phone, password, roles):
    if not roles:
        raise Invalid(_l("Choose at least one role."), field="roles")
    check_new_phone(phone)
    if password is not None:
        check_password_rules(password)


def check_new_phone(phone):
    """A phone a new person may register with: 11 digits and nobody's yet. The registration form
    asks it beside its other fields, so every mistake shows after one submit."""
    phone = (phone or "").strip()
    if not valid_phone(phone):
        raise Invalid(_l("Please enter a mainland mobile number of 11 digits."), field="phone")
    taken = db.session.execute(select(User.password_hash).where(User.phone == phone)).first()
    if taken and taken.password_hash is None:
        # Imported or registered at the office: only a one-time code opens it, never registering again.
        raise Invalid(_l("This mobile number already has an account. Your community office gives you an "
                         "activation code to set your password with."), field="phone", code="phone_taken")
    if taken:
        raise Invalid(_l("This mobile number is already registered."), field="phone", code="phone_taken")


def _check_community(roles, community):
    """A reviewer reviews the residents of one community: without one they would review nobody."""
    missing = community is None or isinstance(community, str) and not community.strip()
    if int(roles) & Role.REVIEWER and missing:
        raise Invalid(_l("A reviewer needs a community: choose the one they review."), field="community")


def check_password_rules(password):
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise Invalid(_l("The password needs at least 8 characters."), field="password")


def community_named(name):
    """The community of this name under the street, created if new."""
    community = db.session.execute(select(Community).where(Community.name == name)).scalar()
    if community is None:
        community = Community(name=name, street=the_street())
        db.session.add(community)
        db.session.flush()
    return community


def the_street():
    name = current_app.config.get("STREET_NAME", "棘洪滩街道")
    street = db.session.execute(select(Street).where(Street.name == name)).scalar()
    if street is None:
        street = Street(name=name)
        db.session.add(street)
    return street


def person_with_phone(phone):
    """The user with this mobile number, or None."""
    phone = (phone or "").strip()
    # A malformed number (even one with a NUL byte, which PostgreSQL refuses) names nobody.
    return db.session.execute(select(User).where(User.phone == phone)).scalar() if valid_phone(phone) else None


def authenticate(phone, password):
    """The active user with this phone and password, or None (the caller says one thing for both)."""
    user = person_with_phone(phone)
    if user is None or user.password_hash is None:  # nobody, or nobody who can sign in with a password
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not user.check_password(password or "") or not user.active:
        return None
    return user


@atomic
def set_roles(user, roles, community=None, *, actor=None):
    if not roles:
        raise Invalid(_l("Choose at least one role."), field="roles")
    _check_community(roles, community)
    before = (Role(user.roles).names, user.community.name if user.community else None)
    if (community.id if community else None) != user.community_id:
        households.moved_away(actor, user)
        ledger.carry_balance(user.id, user.community_id, community.id if community else None)
    user.roles = int(roles)
    user.community = community
    after = (Role(user.roles).names, community.name if community else None)
    if after != before:
        audit.record(actor, "user.roles_changed", user, before=before[0], after=after[0],
                     community_before=before[1], community_after=after[1])


@atomic
def reset_password(user, password, *, actor=None):
    """A new password; every session and token of the person ends with the old one."""
    check_password_rules(password)
    user.set_password(password)
    revoke_tokens(user)
    audit.record(actor, "user.password_reset", user)


@atomic
def set_active(user, active, *, actor=None):
    """Disable or re-enable an account; disabling also ends every session and token."""
    if user.active != active:
        audit.record(actor, "user.enabled" if active else "user.disabled", user)
    user.active = active
    if not active:
        revoke_tokens(user)


# How long each kind of sign-in lasts, by the setting that says so.
_LIFETIME = {TokenKind.API: "API_TOKEN_LIFETIME", TokenKind.WEB: "PERMANENT_SESSION_LIFETIME"}


def issue_token(user, kind=TokenKind.API):
    """A new bearer token, or a web sign-in's key; only its hash is kept. Returns (token, ApiToken)."""
    _forget_dead_tokens(user)
    token = secrets.token_urlsafe(32)
    record = ApiToken(
        user_id=user.id, kind=kind, token_hash=hash_token(token),
        expires_at=now_utc() + current_app.config[_LIFETIME[kind]],
    )
    db.session.add(record)
    db.session.flush()
    return token, record


def _forget_dead_tokens(user):
    # Every web sign-in adds a row; dropping the person's expired and revoked ones keeps the table small.
    db.session.execute(delete(ApiToken).where(
        ApiToken.user_id == user.id, (ApiToken.revoked_at.is_not(None)) | (ApiToken.expires_at <= now_utc())))


def revoke_token(token):
    """This one token (or web session) stops signing in; the person's others keep working."""
    db.session.execute(update(ApiToken).where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now_utc()))


def revoke_tokens(user):
    """Every session and token of the person stops signing in."""
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now_utc()))


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def community_names():
    return db.session.execute(select(Community.name).order_by(Community.id)).scalars().all()
