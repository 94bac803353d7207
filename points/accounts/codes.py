"""One-time codes: how a resident without a password (imported, or registered at the office) sets one,
and how one who forgot theirs sets a new one.

A reviewer of the resident's community (an admin: of anyone) issues a code and hands or prints it;
the resident types their phone, the code and a new password, and is signed in. A code is 8 digits,
shown in two groups ("4821 0937") so that anyone can read it out and type it; it works once, until it
expires, and only the person's newest one works. Only its hash is kept. After a few wrong tries it is
void, and the sign-in limits (points.security) count every try with the sign-in's, so guessing
8 digits is hopeless. Whatever is wrong — the phone unknown, the code wrong, expired, used or
void — the resident is told one thing: ask the community office for a new code.
"""
import enum
import functools
import secrets
import unicodedata
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, select, text, update
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from points import audit
from points.accounts import reach
from points.accounts.models import Role, User, valid_phone
from points.accounts.operations import check_password_rules, revoke_tokens
from points.atomic import atomic
from points.errors import Forbidden, Refusal
from points.extensions import db
from points.lifecycle import keep_writes
from points.timeutil import as_utc, now_utc

DIGITS = 8
ISSUERS = (Role.REVIEWER, Role.ADMIN)


class Purpose(enum.StrEnum):
    ACTIVATION = "activation"  # the person has no password yet
    RESET = "reset"  # the person forgot theirs


class CodeDoesNotWork(Refusal):
    """A credential that does not work, answered as a wrong password is (401)."""
    code = "code_not_working"
    status = 401
    message = _l("This code does not work. Please ask your community office for a new one.")


class OneTimeCode(db.Model):
    __tablename__ = "one_time_codes"
    __table_args__ = (
        CheckConstraint("purpose IN ('activation', 'reset')", name="purpose_known"),
        CheckConstraint("failed_tries >= 0", name="failed_tries_counted"),
        CheckConstraint("expires_at > created_at", name="expires_after_issue"),
        # At most one code in force per person: issuing a new one voids the one before.
        Index("uq_one_time_codes_one_live", "user_id", unique=True,
              sqlite_where=text("used_at IS NULL AND voided_at IS NULL"),
              postgresql_where=text("used_at IS NULL AND voided_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))
    code_hash: Mapped[str] = mapped_column(String(255))  # never the code itself
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: a command on the server
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]  # a newer code was issued, or too many wrong tries
    failed_tries: Mapped[int] = mapped_column(default=0)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Issued:
    """A code just issued: the row, and the code itself, which is shown this once and never stored."""

    def __init__(self, record, code):
        self.record, self.code = record, code

    @property
    def shown(self):
        return grouped(self.code)

    @property
    def purpose(self):
        return self.record.purpose

    @property
    def expires_at(self):
        return self.record.expires_at


@atomic
def issue_code(actor, resident):
    """A fresh code for `resident` (activation when they have no password, reset otherwise); their
    earlier unused code stops working. Reviewers issue for the residents they review (others: 404),
    admins for anyone; `actor` None is a command on the server."""
    if actor is not None:
        if not any(actor.has_role(role) for role in ISSUERS):
            raise Forbidden()
        reach.in_reach(actor, resident)
    purpose = Purpose.ACTIVATION if resident.password_hash is None else Purpose.RESET
    now = now_utc()
    replaced = _void_live_codes(resident, now)
    code = f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
    record = OneTimeCode(user_id=resident.id, purpose=purpose, code_hash=_hash(code),
                         issued_by=actor.id if actor else None, created_at=now, expires_at=now + lifetime(purpose))
    db.session.add(record)
    db.session.flush()
    audit.record(actor, "code.issued", record, resident, purpose=purpose, replaced=replaced or None)
    return Issued(record, code)


def use_code(phone, code, password):
    """Set the password of the person whose live code this is, end their other sessions and tokens,
    and return them; or CodeDoesNotWork, the same for every reason.

    Not atomic as a whole, on purpose: a wrong try must stay counted although the answer is a
    refusal (the request keeps that write). What a right code changes is atomic (`_set_password`).
    """
    check_password_rules(password)  # before the code is tried: a short password costs no try
    record = _live_code((phone or "").strip())
    entered = digits_of(code)
    if record is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), entered)
        raise CodeDoesNotWork()
    if not check_password_hash(record.code_hash, entered) or as_utc(record.expires_at) <= now_utc():
        _count_failed_try(record)
        raise CodeDoesNotWork()
    return _set_password(record, password)


@atomic
def _set_password(record, password):
    # Used only if still in force when written: of two requests racing with one code, one wins.
    used = db.session.execute(
        update(OneTimeCode)
        .where(OneTimeCode.id == record.id, OneTimeCode.used_at.is_(None), OneTimeCode.voided_at.is_(None))
        .values(used_at=now_utc())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if used != 1:
        raise CodeDoesNotWork()
    user = record.user
    user.set_password(password)
    revoke_tokens(user)
    audit.record(user, "code.used", record, user, purpose=record.purpose)
    return user


def _count_failed_try(record):
    """One more wrong try; the last one allowed voids the code. Kept although the request refuses."""
    record.failed_tries += 1
    if record.failed_tries >= current_app.config["ONE_TIME_CODE_TRIES"]:
        record.voided_at = now_utc()
    db.session.flush()
    keep_writes()


def _live_code(phone):
    """The active person's code in force (unused, not void), or None; a malformed phone names nobody."""
    if not valid_phone(phone):
        return None
    query = (select(OneTimeCode).join(User, User.id == OneTimeCode.user_id)
             .where(User.phone == phone, User.active.is_(True),
                    OneTimeCode.used_at.is_(None), OneTimeCode.voided_at.is_(None)))
    return db.session.execute(query).scalar()


def _void_live_codes(user, now):
    """Void the person's code in force; its id, or None when there was none."""
    return db.session.execute(
        update(OneTimeCode)
        .where(OneTimeCode.user_id == user.id, OneTimeCode.used_at.is_(None), OneTimeCode.voided_at.is_(None))
        .values(voided_at=now)
        .returning(OneTimeCode.id)
        .execution_options(synchronize_session=False)
    ).scalar()


def lifetime(purpose):
    """How long a code works: an activation code long enough to reach someone by paper, a reset shorter."""
    setting = "ACTIVATION_CODE_LIFETIME" if purpose == Purpose.ACTIVATION else "RESET_CODE_LIFETIME"
    return current_app.config[setting]


def digits_of(code):
    """The digits typed, whatever came between them: spaces, dashes, full-width digits (４８２１)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", str(code or ""))[:40] if ch in "0123456789")


def grouped(code):
    """4821 0937: groups of four, for reading out and typing."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))


@functools.cache
def _dummy_hash(method):
    """Checked when there is no code to check, so that every failure takes the same time."""
    return generate_password_hash("0" * DIGITS, method=method)


def _hash(code):
    return generate_password_hash(code, method=current_app.config["PASSWORD_HASH_METHOD"])
