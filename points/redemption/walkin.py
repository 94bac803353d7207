"""Walk-ins: a resident without a booking shows a member code, staff pick an offering, points are spent at once."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from points import audit, ledger
from points.accounts import members
from points.accounts.members import BadMemberCode
from points.accounts.models import Role, User, mask_name
from points.atomic import atomic
from points.errors import Forbidden, NotFound
from points.extensions import db
from points.ledger import Transfer
from points.redemption.errors import OfferingUnavailable
from points.redemption.models import Offering, Venue


@dataclass(frozen=True)
class WalkIn:
    resident_name: str  # masked, e.g. "张*"
    offering: Offering
    points: int
    balance: ledger.Balance  # the resident's balance after paying
    transfer_id: int | None = None


@atomic
def redeem_walk_in(staff: User, member_code: str, offering_id: int, key: str, attendee: int | None = None) -> WalkIn:
    """Spend a resident's points on an offering of one of the staff member's venues, at once.

    `key` is the ledger's idempotency key: the same key again returns the first redemption. A phone
    code pays one walk-in per offering, whatever the key: scanned again (a second phone, a reload,
    a screenshot shown twice) it returns the first redemption too. A household card names no one
    person: `attendee`, the member staff picked, attends and pays.
    Refusals: unknown, expired or revoked member code; an offering that does not exist, is inactive
    or belongs to a venue the staff member is not assigned to; not enough points.
    """
    offering = _offering_at_hand(staff, offering_id)
    if "\x00" in (member_code or ""):  # PostgreSQL cannot even compare a text with NUL in it
        raise BadMemberCode()
    resident, issue = members.attendee(member_code, attendee)
    if issue is not None:
        key = f"walk-in:{issue}:{offering.id}"
    if not _paid_under(key):  # paid already: the balance may no longer cover it a second time
        _check_balance(resident, offering.cost)
    memo = ledger.Memo(reason=f"{offering.venue.name} · {offering.name_zh}", requested_by=staff.id,
                       approved_by=staff.id, ref_type="offering", ref_id=offering.id)
    record = ledger.redeem(resident.id, offering.venue_id, offering.cost, key, memo)
    audit.record_once(staff, "walk_in.redeemed", record, resident, points=offering.cost, offering_id=offering.id)
    return WalkIn(mask_name(resident.name), offering, offering.cost, ledger.balance(resident.id), record.id)


def offerings_for(staff):
    """The active offerings a staff member can sell: at their venues (admins: everywhere)."""
    query = select(Offering).join(Offering.venue).where(Offering.active.is_(True), Venue.active.is_(True))
    if not staff.has_role(Role.ADMIN):
        query = query.where(Offering.venue_id.in_([venue.id for venue in staff.venues]))
    return db.session.execute(query.order_by(Venue.name, Offering.cost, Offering.id)).scalars().all()


def _offering_at_hand(staff, offering_id):
    offering = db.session.get(Offering, offering_id)
    if offering is None:
        raise NotFound(_l("No such offering."), field="offering_id")
    if not staff.has_role(Role.ADMIN) and offering.venue_id not in {venue.id for venue in staff.venues}:
        raise Forbidden(_l("This offering belongs to a venue you are not assigned to."), code="not_your_venue")
    if not (offering.active and offering.venue.active):
        raise OfferingUnavailable(field="offering_id")
    return offering


def _paid_under(key):
    return db.session.execute(select(Transfer.id).where(Transfer.idempotency_key == key)).first() is not None


def _check_balance(resident, cost):
    """A clear message with the figures; the ledger enforces the same rule inside the database."""
    available = ledger.balance(resident.id).available
    if available < cost:
        raise ledger.InsufficientPoints(_l(
            "Not enough points: this costs %(cost)d, and %(name)s has %(available)d available.",
            cost=cost, name=mask_name(resident.name), available=available,
        ))
