"""Schemas of the redeeming API: venues, sessions, bookings, check-ins and walk-ins."""
import marshmallow as ma

from points.api.schemas import BalanceOut, Day, WholeNumber, between, id_field, line, matching, one_of, paragraph
from points.redemption.models import NoShowPolicy
from points.redemption.sessions import places_left
from points.redemption.times import local

_id = id_field  # strict (a JSON number) in bodies; strict=False for a query string


class LocalDateTime(ma.fields.DateTime):
    """Written in the scheme's time zone with its offset, e.g. 2026-06-11T19:00:00+08:00."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else local(value).isoformat()


class OfferingOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    name_zh = ma.fields.String(required=True)
    name_en = ma.fields.String(required=True)
    cost = ma.fields.Integer(required=True)
    active = ma.fields.Boolean(required=True)


class VenueIn(ma.Schema):
    name = line(100, required=True)
    name_en = line(100, load_default="", metadata={"description": "English name; empty: English readers see `name`"})
    kind = line(50, required=True, metadata={"description": "e.g. table_tennis, badminton, swimming"})
    no_show_policy = ma.fields.String(
        load_default=NoShowPolicy.RELEASE.value, validate=one_of([p.value for p in NoShowPolicy]),
        metadata={"description": "release: held points go back to a resident who did not come; forfeit: to the venue"},
    )
    place = line(200, load_default="")
    rules = paragraph(5000, load_default="")
    centre = line(100, load_default=None, allow_none=True)


class VenueOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    name_en = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    centre = ma.fields.String(required=True)
    place = ma.fields.String(required=True)
    rules = ma.fields.String(required=True)
    no_show_policy = ma.fields.String(required=True)
    active = ma.fields.Boolean(required=True)
    offerings = ma.fields.List(ma.fields.Nested(OfferingOut), required=True)


class SessionQuery(ma.Schema):
    venue_id = _id(strict=False, load_default=None)
    from_ = Day(data_key="from", load_default=None,
                           metadata={"description": "First day (scheme's calendar). Default: from now"})
    to = Day(load_default=None, metadata={"description": "Last day, included (at most 93 days after "
                                                                    "the first). Default: the end of the booking window"})


class SessionIn(ma.Schema):
    venue_id = _id(required=True)
    starts_at = ma.fields.DateTime(required=True, metadata={"description": "ISO 8601 with offset"})
    ends_at = ma.fields.DateTime(required=True, metadata={"description": "ISO 8601 with offset"})
    capacity = WholeNumber(required=True, strict=True, validate=between(1, 1000))
    cost = WholeNumber(required=True, strict=True, validate=between(1, 10_000))


class SessionOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    venue_id = ma.fields.Integer(required=True)
    venue_name = ma.fields.String(required=True, attribute="venue.name")
    starts_at = LocalDateTime(required=True)
    ends_at = LocalDateTime(required=True)
    capacity = ma.fields.Integer(required=True)
    booked = ma.fields.Integer(required=True)
    places_left = ma.fields.Integer(required=True)
    cost = ma.fields.Integer(required=True)
    cancelled = ma.fields.Boolean(required=True)

    @ma.pre_dump
    def _derived(self, session, **_kwargs):
        return {
            "id": session.id, "venue_id": session.venue_id, "venue": session.venue,
            "starts_at": session.starts_at, "ends_at": session.ends_at, "capacity": session.capacity,
            "booked": session.booked, "places_left": places_left(session), "cost": session.cost,
            "cancelled": session.cancelled_at is not None,
        }


class BookingIn(ma.Schema):
    session_id = _id(required=True)
    user_id = _id(load_default=None, allow_none=True,
                  metadata={"description": "A reviewer booking for a resident of their community"})


class BookingOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    user_id = ma.fields.Integer(required=True)
    booked_by = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True)
    ticket_code = ma.fields.String(required=True, metadata={"description": "What the ticket QR encodes"})
    short_code = ma.fields.String(required=True, metadata={"description": "For typing in by hand"})
    created_at = LocalDateTime(required=True)
    cancelled_at = LocalDateTime(allow_none=True)
    used_at = LocalDateTime(allow_none=True)
    cancel_deadline = LocalDateTime(required=True)
    can_cancel = ma.fields.Boolean(required=True)
    session = ma.fields.Nested(SessionOut, required=True)
    balance = ma.fields.Nested(BalanceOut, metadata={"description": "The resident's balance after the change"})


class CheckInIn(ma.Schema):
    code = line(200, required=True, metadata={"description": "The ticket QR's code, or the short code typed by hand"})
    venue_id = _id(required=True)
    nonce = ma.fields.String(required=True, validate=matching(r"^[A-Za-z0-9._:-]{1,64}$"),
                             metadata={"description": "One per scan (e.g. a UUID): a retry with the same nonce counts once"})


class CheckInOut(ma.Schema):
    result = ma.fields.String(required=True, metadata={"description": "ok, already_used, cancelled, wrong_venue, "
                                                                      "not_open_yet, session_over or unknown_code"})
    message = ma.fields.String(required=True)
    booking_id = ma.fields.Integer(allow_none=True)
    resident_name = ma.fields.String(allow_none=True, metadata={"description": "Masked, e.g. 张*"})
    venue_name = ma.fields.String(allow_none=True, metadata={"description": "The ticket's venue"})
    starts_at = LocalDateTime(allow_none=True)
    ends_at = LocalDateTime(allow_none=True)
    used_at = LocalDateTime(allow_none=True, metadata={"description": "already_used: when"})
    used_by_name = ma.fields.String(allow_none=True, metadata={"description": "already_used: by whom (masked)"})
    used_by_id = ma.fields.Integer(allow_none=True, metadata={"description": "already_used: by whom (user)"})
    seconds_ago = ma.fields.Integer(allow_none=True, metadata={"description": "already_used: how long ago"})
    by_you = ma.fields.Boolean(required=True, metadata={"description": "already_used: by the scanning staff"})
    just_by_you = ma.fields.Boolean(required=True, metadata={
        "description": "already_used by the staff member scanning now, less than a minute ago: "
                       "show a calm confirmation (a reloaded page, a second phone), not a refusal"})


class WalkInIn(ma.Schema):
    member_code = line(200, required=True, metadata={"description": "The member QR from the phone (M1.) or the card (C1.)"})
    offering_id = _id(required=True)


class WalkInOut(ma.Schema):
    resident_name = ma.fields.String(required=True, metadata={"description": "Masked, e.g. 张*"})
    offering = ma.fields.Nested(OfferingOut, required=True)
    points = ma.fields.Integer(required=True)
    transfer_id = ma.fields.Integer(required=True)
    balance = ma.fields.Nested(BalanceOut, required=True)

