"""Check-in at the door (核销, SPEC §5): the staff scan decides a ticket's fate exactly once.

This is the hot path. An accepted scan costs one read (the ticket with its session, the venue's name,
both people's names, the staff member's assignment and whether this nonce was seen), one
conditional UPDATE that marks the ticket used, one INSERT into the scan log and the ledger's post of
the hold, all in the request's one transaction. Exactly one `ok` per ticket comes from the
conditional UPDATE: `... WHERE id = ? AND status = 'booked'` changes one row for the first scan and
none for any other, whichever database runs it. A retried scan (same staff member, same nonce) is
answered from the scan log and changes nothing.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased, contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from points import ledger
from points.accounts.models import Role, User, mask_name, venue_staff
from points.errors import Forbidden, Invalid
from points.extensions import db
from points.redemption.errors import NonceReused
from points.redemption.models import Booking, BookingStatus, CheckInResult, Scan, Venue, VenueSession
from points.redemption.tickets import TICKET_PREFIX, normalise_short_code
from points.redemption.times import instant, setting
from points.timeutil import as_utc, now_utc

BOOKINGS, SCANS = Booking.__table__, Scan.__table__
MAX_NONCE = 64

MESSAGES = {
    CheckInResult.OK: _l("Checked in"),
    CheckInResult.ALREADY_USED: _l("This ticket has already been used"),
    CheckInResult.CANCELLED: _l("This booking was cancelled"),
    CheckInResult.WRONG_VENUE: _l("This ticket is for another venue"),
    CheckInResult.NOT_OPEN_YET: _l("Check-in for this session has not opened yet"),
    CheckInResult.SESSION_OVER: _l("This session is already over"),
    CheckInResult.UNKNOWN_CODE: _l("Unknown code: this is not a ticket of ours"),
}


@dataclass(frozen=True)
class CheckIn:
    """The answer to one scan, with what the staff member needs to see to act on it."""

    result: CheckInResult
    booking: Booking | None
    resident_name: str | None  # masked, e.g. "张*"
    session_starts_at: datetime | None
    session_ends_at: datetime | None
    venue_name: str | None  # the ticket's venue (for wrong_venue: where the resident should go)
    used_at: datetime | None  # for already_used: when
    used_by_name: str | None  # for already_used: which staff member (masked)

    @property
    def message(self):
        return MESSAGES[self.result]


def check_in(staff: User, code: str, venue_id: int, nonce: str, now: datetime | None = None) -> CheckIn:
    """Decide one scan of a ticket (full code or short code) at a venue, and log it."""
    now = instant(now)
    code, nonce = _checked_code(code), _checked_nonce(nonce)
    row = db.session.execute(_lookup(staff, code, venue_id, nonce)).first()
    if row is None:
        return _unknown_code(staff, code, venue_id, nonce)
    if not row.assigned:
        raise _not_your_venue()
    if row.seen:
        return replay(staff, nonce)
    booking = row.Booking
    result, used_by_name = _decide(booking, staff, venue_id, now, row.used_by_name)
    if result == CheckInResult.OK:
        _log_or_refuse(staff, venue_id, nonce, code, booking.id, result)
        _post_hold(booking, staff, row.venue_name)
    elif not _log(staff, venue_id, nonce, code, booking.id, result):
        return replay(staff, nonce)
    return _answer(result, booking, row.resident_name, row.venue_name, used_by_name)


def replay(staff, nonce):
    """The first answer given to this staff member's scan with this nonce (a retry changes nothing)."""
    scan = db.session.execute(select(Scan).where(Scan.staff_id == staff.id, Scan.nonce == nonce)).scalar_one()
    if scan.booking_id is None:
        return CheckIn(scan.result, None, None, None, None, None, None, None)
    row = db.session.execute(_details().where(Booking.id == scan.booking_id)).one()
    used_by_name = row.used_by_name if scan.result == CheckInResult.ALREADY_USED else None
    return _answer(scan.result, row.Booking, row.resident_name, row.venue_name, used_by_name)


def _lookup(staff, code, venue_id, nonce):
    """The ticket with everything needed to decide and answer, in one statement."""
    seen = exists().where(SCANS.c.staff_id == staff.id, SCANS.c.nonce == nonce)
    return (
        _details()
        .add_columns(_assigned(staff, venue_id).label("assigned"), seen.label("seen"))
        .where(_code_matches(code))
    )


def _details():
    resident, user = aliased(User), aliased(User)
    return (
        select(Booking, Venue.name.label("venue_name"), resident.name.label("resident_name"),
               user.name.label("used_by_name"))
        .join(Booking.session)
        .join(Venue, Venue.id == VenueSession.venue_id)
        .join(resident, resident.id == Booking.user_id)
        .outerjoin(user, user.id == Booking.used_by)
        .options(contains_eager(Booking.session))
    )


def _code_matches(code):
    """A full ticket code or a short code typed by hand; each is found by its own unique index."""
    if code.startswith(TICKET_PREFIX):
        return Booking.ticket_code == code[:64]
    return Booking.short_code == normalise_short_code(code)[:12]


def _assigned(staff, venue_id):
    """Staff scan only at their own venues; admins at any venue that exists."""
    if staff.has_role(Role.ADMIN):
        return exists().where(Venue.id == venue_id)
    return exists().where(venue_staff.c.user_id == staff.id, venue_staff.c.venue_id == venue_id)


def _judge(booking, venue_id, now):
    session = booking.session
    if session.venue_id != venue_id:
        return CheckInResult.WRONG_VENUE
    if booking.status == BookingStatus.CHECKED_IN:
        return CheckInResult.ALREADY_USED
    if booking.status in (BookingStatus.CANCELLED, BookingStatus.SESSION_CANCELLED):
        return CheckInResult.CANCELLED
    if booking.status == BookingStatus.NO_SHOW or now >= as_utc(session.ends_at):
        return CheckInResult.SESSION_OVER
    if now < as_utc(session.starts_at) - timedelta(minutes=setting("CHECKIN_OPENS_MINUTES")):
        return CheckInResult.NOT_OPEN_YET
    return CheckInResult.OK


def _decide(booking, staff, venue_id, now, used_by_name):
    """The scan's result and, for already_used, by whom; an acceptable ticket is marked used here."""
    result = _judge(booking, venue_id, now)
    if result != CheckInResult.OK:
        return result, used_by_name
    if _mark_used(booking, staff, now):
        return result, None
    # Another scan (or a cancellation) changed the ticket first: answer from its new state.
    used_by_name = _reload_use(booking)
    result = _judge(booking, venue_id, now)
    return (CheckInResult.ALREADY_USED if result == CheckInResult.OK else result), used_by_name


def _mark_used(booking, staff, now):
    """The single-use guarantee: only the first scan finds the ticket still 'booked'."""
    statement = (
        update(BOOKINGS)
        .where(BOOKINGS.c.id == booking.id, BOOKINGS.c.status == BookingStatus.BOOKED)
        .values(status=BookingStatus.CHECKED_IN, used_at=now, used_by=staff.id)
    )
    if db.session.execute(statement).rowcount != 1:
        return False
    # The row is written; bring the loaded object up to date without another UPDATE or SELECT.
    for name, value in (("status", BookingStatus.CHECKED_IN), ("used_at", now), ("used_by", staff.id)):
        set_committed_value(booking, name, value)
    return True


def _reload_use(booking):
    """Read the ticket's state again after losing a race: status, and when and by whom it was used."""
    used_by = aliased(User)
    row = db.session.execute(
        select(BOOKINGS.c.status, BOOKINGS.c.used_at, used_by.name)
        .outerjoin(used_by, used_by.id == BOOKINGS.c.used_by)
        .where(BOOKINGS.c.id == booking.id)
    ).one()
    for name, value in (("status", row.status), ("used_at", row.used_at)):
        set_committed_value(booking, name, value)
    return row.name


def _post_hold(booking, staff, venue_name):
    memo = ledger.Memo(reason=venue_name, requested_by=staff.id, approved_by=staff.id,
                       ref_type="booking", ref_id=booking.id)
    ledger.post(booking.hold_id, f"booking:{booking.id}:post", memo)


def _log(staff, venue_id, nonce, code, booking_id, result):
    """Log the scan; False if a twin request with the same nonce logged it first."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(SCANS).values(
        staff_id=staff.id, venue_id=venue_id, nonce=nonce, code=code[:80], booking_id=booking_id,
        result=result, created_at=now_utc(),
    ).on_conflict_do_nothing(index_elements=["staff_id", "nonce"]).returning(SCANS.c.id)
    return db.session.execute(statement).first() is not None


def _log_or_refuse(staff, venue_id, nonce, code, booking_id, result):
    # The ticket is already marked used in this transaction: if the nonce was taken meanwhile by
    # another code, refusing rolls the whole scan back rather than answering for a different ticket.
    if not _log(staff, venue_id, nonce, code, booking_id, result):
        raise NonceReused()


def _unknown_code(staff, code, venue_id, nonce):
    if not db.session.execute(select(_assigned(staff, venue_id))).scalar():
        raise _not_your_venue()
    if not _log(staff, venue_id, nonce, code, None, CheckInResult.UNKNOWN_CODE):
        return replay(staff, nonce)
    return CheckIn(CheckInResult.UNKNOWN_CODE, None, None, None, None, None, None, None)


def _answer(result, booking, resident_name, venue_name, used_by_name=None):
    used = result == CheckInResult.ALREADY_USED
    session = booking.session
    return CheckIn(
        result=result, booking=booking, resident_name=mask_name(resident_name),
        session_starts_at=as_utc(session.starts_at), session_ends_at=as_utc(session.ends_at),
        venue_name=venue_name,
        used_at=as_utc(booking.used_at) if used and booking.used_at else None,
        used_by_name=mask_name(used_by_name) if used and used_by_name else None,
    )


def _checked_code(code):
    code = (code or "").strip()
    if not code or "\x00" in code:  # PostgreSQL cannot even compare a text with NUL in it
        raise Invalid(_l("Please scan a ticket or type its code."), field="code")
    return code


def _checked_nonce(nonce):
    nonce = (nonce or "").strip()
    if not 1 <= len(nonce) <= MAX_NONCE or not nonce.isprintable():
        raise Invalid(_l("Each scan needs an id (nonce) of 1 to 64 characters."), field="nonce")
    return nonce


def _not_your_venue():
    return Forbidden(_l("You can only check people in at the venues you are assigned to."), code="not_your_venue")
