"""Family helpers (SPEC §11): a resident lets a relative's account act for them.

The resident invites an account by its phone number and names what it may do (`Scope`: view, book
and cancel, claim); the invitation grants nothing until the helper accepts it, lapses if they do
not within HELPER_INVITATION_DAYS, and the grant then lasts HELPER_GRANT_DAYS. Either side may end
it at any time. Whether a helper reaches a resident is answered in one place, points.accounts.reach;
what a helper does is recorded as a reviewer's acts are: actor the helper, for_user the resident.
"""
import enum
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from points import audit
from points.accounts import operations as accounts
from points.accounts.models import Role, User, valid_phone
from points.atomic import atomic
from points.errors import Forbidden, Invalid, NotFound, Refusal
from points.extensions import db
from points.routing import is_id
from points.timeutil import as_utc, now_utc


class Scope(enum.IntFlag):
    """What a grant lets the helper do; a grant holds one or more."""

    VIEW = 1  # the balance and the points history
    BOOK = 2  # book venue sessions, and cancel them
    CLAIM = 4  # claim points for a civic action


ALL_SCOPES = int(Scope.VIEW | Scope.BOOK | Scope.CLAIM)
SCOPE_LABELS = {
    Scope.VIEW: _l("See points and history"),
    Scope.BOOK: _l("Book and cancel sessions"),
    Scope.CLAIM: _l("Claim points"),
}
NOT_OPEN = _l("This invitation is no longer open.")
ENDED = _l("This helper arrangement has already ended.")
NO_SUCH_GRANT = _l("No such helper arrangement.")


class HelperGrant(db.Model):
    __tablename__ = "helper_grants"
    __table_args__ = (
        CheckConstraint("resident_id <> helper_id", name="not_oneself"),
        CheckConstraint(f"scopes > 0 AND scopes <= {ALL_SCOPES}", name="scopes_known"),
        CheckConstraint("accepted_at IS NULL OR expires_at IS NOT NULL", name="accepted_grant_expires"),
        # One grant in force (invited or accepted) per pair: a second invitation would be a duplicate.
        Index("uq_helper_grants_one_live", "resident_id", "helper_id", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    helper_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scopes: Mapped[int]
    invited_at: Mapped[datetime] = mapped_column(default=now_utc)
    accepted_at: Mapped[datetime | None]  # None: the invitation waits for the helper
    expires_at: Mapped[datetime | None]  # set at acceptance
    revoked_at: Mapped[datetime | None]  # ended by either side, declined, or closed after it ran out
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: closed because it ran out

    resident: Mapped[User] = relationship(foreign_keys=[resident_id])
    helper: Mapped[User] = relationship(foreign_keys=[helper_id])

    def allows(self, scope):
        """Whether the grant includes `scope` (of several joined with |, any one will do)."""
        return bool(self.scopes & scope)

    @property
    def scope_list(self):
        return [scope for scope in Scope if scope & self.scopes]

    def state(self, now=None):
        """pending, lapsed (never accepted in time), live, expired or ended."""
        now = now or now_utc()
        if self.revoked_at is not None:
            return "ended"
        if self.accepted_at is None:
            return "lapsed" if now >= invitation_ends(self) else "pending"
        return "expired" if now >= as_utc(self.expires_at) else "live"


def invitation_ends(grant):
    return as_utc(grant.invited_at) + timedelta(days=current_app.config["HELPER_INVITATION_DAYS"])


def scopes_from(names):
    """A Scope from its names ("view", "book", "claim"), as forms and the API send them."""
    scope = Scope(0)
    for name in names or ():
        try:
            scope |= Scope[str(name).upper()]
        except KeyError:
            raise Invalid(_l("Please choose what your helper may do from the list."), field="scopes") from None
    return scope


@atomic
def invite(resident, phone, scopes, now=None):
    """Invite the account using `phone` to help `resident` with `scopes`; nothing is granted until it accepts."""
    now = now or now_utc()
    if not resident.has_role(Role.RESIDENT) or not resident.active:
        raise Forbidden(_l("Only residents can invite family helpers."))
    scopes = Scope(int(scopes))
    if not scopes or int(scopes) & ~ALL_SCOPES:
        raise Invalid(_l("Please choose at least one thing your helper may do."), field="scopes")
    helper = _account_using((phone or "").strip())
    if helper.id == resident.id:
        raise Invalid(_l("You cannot be your own helper."), code="own_helper", field="phone")
    _close_ended(resident.id, helper.id, now)
    grant = HelperGrant(resident_id=resident.id, helper_id=helper.id, scopes=int(scopes), invited_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(grant)
    except IntegrityError:  # the pair already has a grant in force (or a twin request made it a moment ago)
        raise Refusal(_l("%(name)s is already your helper or has your invitation waiting.", name=helper.name),
                      code="already_invited", field="phone") from None
    audit.record(resident, "helper.invited", grant, resident, helper_id=helper.id, scopes=_names(scopes))
    return grant


@atomic
def accept(helper, grant, now=None):
    """The invited helper accepts: the grant is in force for HELPER_GRANT_DAYS from now."""
    now = now or now_utc()
    _check_invited(helper, grant, now)
    grant.accepted_at = now
    grant.expires_at = now + timedelta(days=current_app.config["HELPER_GRANT_DAYS"])
    audit.record(helper, "helper.accepted", grant, grant.resident_id, expires_at=grant.expires_at.isoformat())
    db.session.flush()
    return grant


@atomic
def decline(helper, grant, now=None):
    """The invited helper says no; the invitation ends and grants nothing."""
    now = now or now_utc()
    _check_invited(helper, grant, now)
    _end(grant, helper, now)
    audit.record(helper, "helper.declined", grant, grant.resident_id)
    return grant


@atomic
def revoke(actor, grant, now=None):
    """Either side ends the grant (or the invitation), at once."""
    now = now or now_utc()
    _check_side(actor, grant)
    if grant.revoked_at is not None:
        raise Refusal(ENDED, code="grant_ended")
    _end(grant, actor, now)
    audit.record(actor, "helper.revoked", grant, grant.resident_id, helper_id=grant.helper_id)
    return grant


def grant_of(user, grant_id):
    """A grant `user` is a side of; anyone else is told it does not exist."""
    grant = db.session.get(HelperGrant, grant_id) if is_id(grant_id) else None
    if grant is None or user.id not in (grant.resident_id, grant.helper_id):
        raise NotFound(NO_SUCH_GRANT)
    return grant


def grants_of(resident):
    """The resident's helpers: every grant not ended, invited or accepted, the newest first."""
    query = (select(HelperGrant).where(HelperGrant.resident_id == resident.id, HelperGrant.revoked_at.is_(None))
             .options(selectinload(HelperGrant.helper)).order_by(HelperGrant.id.desc()))
    return db.session.execute(query).scalars().all()


def helping(helper, now=None):
    """The grants in force that let `helper` act for someone: the people this account helps."""
    query = (select(HelperGrant).where(HelperGrant.helper_id == helper.id, *_in_force(now))
             .options(selectinload(HelperGrant.resident)).order_by(HelperGrant.id))
    return db.session.execute(query).scalars().all()


def invitations_for(helper, now=None):
    """Invitations waiting for `helper`'s answer, not yet lapsed."""
    query = (select(HelperGrant)
             .where(HelperGrant.helper_id == helper.id, HelperGrant.revoked_at.is_(None),
                    HelperGrant.accepted_at.is_(None))
             .options(selectinload(HelperGrant.resident)).order_by(HelperGrant.id))
    return [grant for grant in db.session.execute(query).scalars() if grant.state(now) == "pending"]


def grant_between(helper_id, resident_id, now=None):
    """The grant in force that lets the helper act for the resident, or None."""
    query = select(HelperGrant).where(HelperGrant.helper_id == helper_id, HelperGrant.resident_id == resident_id,
                                      *_in_force(now))
    return db.session.execute(query).scalar()


def _in_force(now):
    return (HelperGrant.revoked_at.is_(None), HelperGrant.accepted_at.is_not(None),
            HelperGrant.expires_at > (now or now_utc()))


def _account_using(phone):
    if not valid_phone(phone):
        raise Invalid(_l("Please enter an 11-digit mobile number starting with 1."), field="phone")
    helper = accounts.person_with_phone(phone)
    if helper is None or not helper.active:
        raise Invalid(_l("No account uses this phone number; ask your relative to register first."),
                      code="helper_not_registered", field="phone")
    return helper


def _close_ended(resident_id, helper_id, now):
    """A grant that ran out (expired, or an invitation never accepted) still holds the pair's one
    place in force; closing it lets the resident invite the same person again."""
    grant = db.session.execute(select(HelperGrant).where(
        HelperGrant.resident_id == resident_id, HelperGrant.helper_id == helper_id,
        HelperGrant.revoked_at.is_(None))).scalar()
    if grant is not None and grant.state(now) in ("lapsed", "expired"):
        _end(grant, None, now)


def _check_invited(helper, grant, now):
    if grant.helper_id != helper.id:
        raise NotFound(NO_SUCH_GRANT)
    if grant.state(now) != "pending":
        raise Refusal(NOT_OPEN, code="invitation_closed")


def _check_side(actor, grant):
    if actor.id not in (grant.resident_id, grant.helper_id):
        raise NotFound(NO_SUCH_GRANT)


def _end(grant, actor, now):
    grant.revoked_at = now
    grant.revoked_by = actor.id if actor is not None else None
    db.session.flush()


def _names(scopes):
    return [scope.name.lower() for scope in Scope if scope & scopes]
