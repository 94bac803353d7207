"""Member codes: how a resident proves who they are at a door or an activity.

Two forms, both read by the same scanner:
- on the phone, a rotating code signed with the app's key that expires after a minute or two,
  so a screenshot is soon worthless;
- on a printed card, a random code that stays valid until the card is re-issued or revoked.
A household card (一户一卡) is printed the same way for a household: it names no one person, so the
door asks which member attends (`attendee`).
"""
import secrets
import unicodedata

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner
from sqlalchemy import select, update

from points import audit
from points.accounts.cards import MemberCard
from points.accounts.models import User
from points.errors import Refusal
from points.extensions import db
from points.timeutil import now_utc

PHONE_PREFIX, CARD_PREFIX, HOUSEHOLD_PREFIX = "M1.", "C1.", "H1."
CODE_LIFETIME = 120  # seconds a phone code stays valid; the page refreshes it every 30
REFRESH_EVERY = 30


class BadMemberCode(Refusal):
    code = "unknown_member"
    status = 404
    message = _l("This member code is not valid.")


class ExpiredMemberCode(BadMemberCode):
    code = "member_code_expired"
    status = 409
    message = _l("This member code has expired. Please ask the resident to open it again.")


class RevokedCard(BadMemberCode):
    code = "card_revoked"
    status = 409
    message = _l("This member card has been replaced or revoked.")


def phone_code(user):
    """A fresh signed code for the member QR on the resident's phone."""
    return PHONE_PREFIX + _signer().sign(str(user.id)).decode()


def member_from_code(code):
    """The active person a phone code or card code belongs to, or a BadMemberCode refusal."""
    return read_code(code)[0]


def card_code_from_serial(serial):
    """The code of the card in force whose serial this is, typed by hand from the printed card
    (spaces, dashes and full-width digits do not matter), so the door reads it as if scanned; or
    a BadMemberCode refusal."""
    # As codes.digits_of does for one-time codes (importing it would close an import cycle).
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", str(serial or ""))[:40] if ch in "0123456789")
    if not digits:
        raise BadMemberCode()
    return _live_card(MemberCard.serial == digits).code


def read_code(code):
    """(the active person, the code's issue) for a phone code or card code, or a BadMemberCode refusal.

    A phone code's issue, "user id@signing time", tells it from every other code however its text
    is written, so that one code shown twice can be recognised; a printed card is meant to be shown
    again and again and has none (None)."""
    code = (code or "").strip()
    if code.startswith(PHONE_PREFIX):
        return _from_phone_code(code[len(PHONE_PREFIX):])
    if code.startswith(CARD_PREFIX):
        return _from_card(code), None
    if code.startswith(HOUSEHOLD_PREFIX):  # it names no one person: say what to show instead
        raise HouseholdCardHere()
    raise BadMemberCode()


class HouseholdCardHere(BadMemberCode):
    code = "household_card"
    status = 422
    message = _l("This is a household card. Please scan the member's own card or phone code, or type their "
                 "mobile number.")


class NotAMember(BadMemberCode):
    code = "not_in_household"
    status = 422
    message = _l("Please choose which member of the household attends.")


def attendee(code, member_id=None):
    """The person a code stands for at the door: its own person, or for a household card the chosen
    member of that household (`member_id`); a BadMemberCode refusal otherwise."""
    if not is_household_code(code):
        return read_code(code)
    person = db.session.get(User, member_id) if isinstance(member_id, int) else None
    if person is None or person.household_id != household_from_code(code).id:
        raise NotAMember(field="attendee")
    return _active(person), None


def is_household_code(code):
    return (code or "").strip().startswith(HOUSEHOLD_PREFIX)


def household_from_code(code):
    """The household a household card names, or a BadMemberCode refusal."""
    return _card_with((code or "").strip()).household


def issue_card(holder, issued_by):
    """A new printed card for a person or a household; the one before it stops working at once."""
    column = _holder_column(holder)
    replaced = db.session.execute(
        update(MemberCard)
        .where(column == holder.id, MemberCard.revoked_at.is_(None))
        .values(revoked_at=now_utc())
        .returning(MemberCard.serial)
        .execution_options(synchronize_session=False)
    ).scalar()
    household = column is MemberCard.household_id
    card = MemberCard(
        user_id=None if household else holder.id, household_id=holder.id if household else None,
        issued_by=issued_by.id if issued_by else None, serial=_new_serial(),
        code=(HOUSEHOLD_PREFIX if household else CARD_PREFIX) + secrets.token_urlsafe(24),
    )
    db.session.add(card)
    db.session.flush()
    audit.record(issued_by, "card.issued", card, card.user_id, serial=card.serial, replaced=replaced,
                 household_id=card.household_id)
    return card


def revoke_card(card, actor=None):
    if card.revoked_at is None:
        card.revoked_at = now_utc()
        audit.record(actor, "card.revoked", card, card.user_id, serial=card.serial, household_id=card.household_id)


def current_card(holder):
    """The card in force of a person or a household, if any."""
    query = select(MemberCard).where(_holder_column(holder) == holder.id, MemberCard.revoked_at.is_(None))
    return db.session.execute(query).scalar()


def _holder_column(holder):
    return MemberCard.user_id if isinstance(holder, User) else MemberCard.household_id


def _from_phone_code(signed):
    try:
        value, signed_at = _signer().unsign(signed, max_age=CODE_LIFETIME, return_timestamp=True)
        user_id = int(value)
    except SignatureExpired:
        raise ExpiredMemberCode() from None
    except (BadSignature, ValueError):
        raise BadMemberCode() from None
    return _active(db.session.get(User, user_id)), f"{user_id}@{int(signed_at.timestamp())}"


def _from_card(code):
    return _active(_card_with(code).user)


def _card_with(code):
    return _live_card(MemberCard.code == code)


def _live_card(which):
    """The card `which` names, if it is still in force; else a BadMemberCode refusal."""
    card = db.session.execute(select(MemberCard).where(which)).scalar()
    if card is None:
        raise BadMemberCode()
    if card.revoked_at is not None:
        raise RevokedCard()
    return card


def _active(user):
    if user is None or not user.active:
        raise BadMemberCode()
    return user


def _new_serial():
    """Printed on the card for people to read out: 10 digits, no look-alike letters."""
    return f"{secrets.randbelow(10**10):010d}"


def _signer():
    return TimestampSigner(current_app.config["SECRET_KEY"], salt="member-qr")
