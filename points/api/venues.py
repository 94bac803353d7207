"""Venues and their sessions: residents look, admins publish."""
from datetime import timedelta

from flask import g
from points.api.blueprint import Blueprint

from points.accounts.models import Role
from points.api.auth import token_required
from points.api.redemption_schemas import SessionIn, SessionOut, SessionQuery, VenueIn, VenueOut
from points.idempotency import idempotent
from points.redemption import sessions, venues
from points.redemption.times import day_bounds, setting
from points.timeutil import now_utc

blp = Blueprint("venues", __name__, url_prefix="/api/v1", description="Venues and their sessions")
LONGEST_RANGE = timedelta(days=93)


@blp.get("/venues")
@token_required()
@blp.response(200, VenueOut(many=True))
def list_venues():
    """The open venues with their walk-in offerings (admins see closed ones too)."""
    return venues.list_venues(include_inactive=g.api_user.has_role(Role.ADMIN))


@blp.post("/venues")
@token_required(Role.ADMIN)
@idempotent
@blp.arguments(VenueIn)
@blp.response(201, VenueOut)
def create_venue(body):
    """Open a venue (it gets its own points account, where points spent there go)."""
    return venues.create_venue(body["name"], body["kind"], body["no_show_policy"], body["place"],
                               body["rules"], body["centre"], name_en=body["name_en"], actor=g.api_user)


@blp.get("/sessions")
@token_required()
@blp.arguments(SessionQuery, location="query")
@blp.response(200, SessionOut(many=True))
def list_sessions(query):
    """Sessions starting in a period (default: from now to the end of the booking window)."""
    period = _period(query["from_"], query["to"])
    return sessions.sessions_between(*period, venue_id=query["venue_id"]) if period else []


@blp.post("/sessions")
@token_required(Role.ADMIN)
@idempotent
@blp.arguments(SessionIn)
@blp.response(201, SessionOut)
def create_session(body):
    """Publish one session; times are ISO 8601 with their offset (a time without one is refused)."""
    venue = venues.get_venue(body["venue_id"])
    return sessions.create_session(venue, body["starts_at"], body["ends_at"], body["capacity"], body["cost"],
                                   actor=g.api_user)


@blp.post("/sessions/<int:session_id>/cancel")
@token_required(Role.ADMIN)
@idempotent
@blp.response(200, SessionOut)
def cancel_session(session_id):
    """Cancel a session: every hold is released and each booked resident is told in the app."""
    session = sessions.get_session(session_id)
    sessions.cancel_session(g.api_user, session)
    return session


def _period(first_day, last_day):
    """[start, end) as instants, at most 93 days long; None when it holds no session (or no date can)."""
    try:
        start = day_bounds(first_day)[0] if first_day else now_utc()
        if last_day is None:
            return start, start + timedelta(days=setting("BOOKING_OPENS_DAYS") + 1)
        end = min(day_bounds(last_day)[1], start + LONGEST_RANGE)
    except OverflowError:  # a day at the very edge of the calendar
        return None
    return (start, end) if start < end else None
