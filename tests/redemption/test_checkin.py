"""Check-in at the door: every result, retries by nonce, the scan log, who may scan where."""
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from points import ledger
from points.accounts.models import Role
from points.errors import Forbidden
from points.extensions import db
from points.redemption import bookings, sessions, venues
from points.redemption.checkin import JUST_BY_YOU, MESSAGES, check_in
from points.redemption.models import BookingStatus, CheckInResult, Scan
from points.redemption.tickets import spaced
from tests.redemption.beijing import bj

DOOR = "2026-06-10 18:50"  # ten minutes before the 19:00 session


@pytest.fixture
def ticket(resident, make_session, book):
    return book(resident, make_session("2026-06-10 19:00", minutes=60, cost=5))


def scan(staff, code, venue_id, nonce="n1", at=DOOR):
    answer = check_in(staff, code, venue_id, nonce, now=bj(at))
    db.session.commit()
    return answer


def scans():
    return db.session.execute(select(Scan.result).order_by(Scan.id)).scalars().all()


def test_ok_posts_the_hold_and_shows_who(staff, ticket, resident):
    answer = scan(staff, ticket.ticket_code, ticket.session.venue_id)
    assert (answer.result, answer.resident_name, answer.venue_name) == ("ok", "张**", "羽毛球馆")
    assert answer.session_starts_at == bj("2026-06-10 19:00") and ticket.status == BookingStatus.CHECKED_IN
    assert ledger.balance(resident.id) == ledger.Balance(available=95, held=0, earned_total=100)
    assert ledger.verify() == []


def test_a_second_scan_says_when_and_by_whom(staff, ticket):
    scan(staff, ticket.ticket_code, ticket.session.venue_id, "n1")
    again = scan(staff, ticket.ticket_code, ticket.session.venue_id, "n2", at="2026-06-10 18:55")
    assert again.result == "already_used"
    assert (again.used_at, again.used_by_name) == (bj(DOOR), "郑*")


def test_a_retried_scan_gets_the_first_answer_and_counts_once(staff, ticket, resident):
    first = scan(staff, ticket.ticket_code, ticket.session.venue_id, "same")
    retry = scan(staff, ticket.ticket_code, ticket.session.venue_id, "same", at="2026-06-10 18:51")
    assert first.result == retry.result == "ok"
    assert scans() == ["ok"] and ledger.balance(resident.id).available == 95


def test_the_short_code_can_be_typed_by_hand(staff, ticket):
    typed = " " + spaced(ticket.short_code).lower() + " "
    assert scan(staff, typed, ticket.session.venue_id).result == "ok"


def test_a_cancelled_booking(staff, ticket, resident):
    bookings.cancel(resident, ticket, now=bj("2026-06-10 09:00"))
    db.session.commit()
    assert scan(staff, ticket.ticket_code, ticket.session.venue_id).result == "cancelled"


def test_a_ticket_for_another_venue(make_user, ticket):
    pool = venues.create_venue("游泳馆", "swimming")
    db.session.commit()
    pool_staff = make_user(Role.STAFF, venues=[pool])
    answer = scan(pool_staff, ticket.ticket_code, pool.id)
    assert (answer.result, answer.venue_name) == ("wrong_venue", "羽毛球馆")
    assert ticket.status == BookingStatus.BOOKED


@pytest.mark.parametrize("at, result", [
    ("2026-06-10 18:29:59", "not_open_yet"),
    ("2026-06-10 18:30:00", "ok"),
    ("2026-06-10 19:59:59", "ok"),
    ("2026-06-10 20:00:00", "session_over"),
])
def test_check_in_opens_half_an_hour_before_and_closes_at_the_end(staff, ticket, at, result):
    assert scan(staff, ticket.ticket_code, ticket.session.venue_id, at=at).result == result


def test_an_unknown_code_is_logged_too(staff, venue):
    answer = scan(staff, "T1.not-a-real-ticket", venue.id)
    assert answer.result == "unknown_code" and answer.booking_id is None
    assert scan(staff, "ABCD-EFGH", venue.id, "n2").result == "unknown_code"
    assert scans() == ["unknown_code", "unknown_code"]


def test_failed_scans_are_logged(staff, ticket):
    scan(staff, ticket.ticket_code, ticket.session.venue_id, "early", at="2026-06-10 12:00")
    scan(staff, ticket.ticket_code, ticket.session.venue_id, "door")
    scan(staff, ticket.ticket_code, ticket.session.venue_id, "again")
    assert scans() == ["not_open_yet", "ok", "already_used"]


def test_staff_scan_only_at_their_venues_and_admins_anywhere(make_user, ticket):
    elsewhere = make_user(Role.STAFF)
    with pytest.raises(Forbidden):
        check_in(elsewhere, ticket.ticket_code, ticket.session.venue_id, "n", now=bj(DOOR))
    with pytest.raises(Forbidden):
        check_in(elsewhere, "T1.unknown", ticket.session.venue_id, "n", now=bj(DOOR))
    db.session.rollback()
    assert db.session.execute(select(func.count()).select_from(Scan)).scalar() == 0
    assert scan(make_user(Role.ADMIN), ticket.ticket_code, ticket.session.venue_id).result == "ok"


def test_a_session_cancelled_by_an_admin(staff, ticket, make_user):
    sessions.cancel_session(make_user(Role.ADMIN), ticket.session, now=bj("2026-06-10 09:00"))
    db.session.commit()
    assert scan(staff, ticket.ticket_code, ticket.session.venue_id).result == "cancelled"


# ---- The same ticket again: a reloaded page, a second phone ----

def test_your_own_check_in_seen_again_within_a_minute_is_a_confirmation(staff, ticket):
    scan(staff, ticket.ticket_code, ticket.session.venue_id, "before-reload")
    again = scan(staff, ticket.ticket_code, ticket.session.venue_id, "after-reload", at="2026-06-10 18:50:59")
    assert again.result == "already_used"
    assert (again.by_you, again.seconds_ago, again.just_by_you) == (True, 59, True)
    assert (again.used_by_id, again.used_by_name, again.used_at) == (staff.id, "郑*", bj(DOOR))
    assert again.message == JUST_BY_YOU


def test_your_own_check_in_a_minute_later_is_refused_saying_when(staff, ticket):
    scan(staff, ticket.ticket_code, ticket.session.venue_id, "first")
    later = scan(staff, ticket.ticket_code, ticket.session.venue_id, "later", at="2026-06-10 18:51")
    assert (later.result, later.by_you, later.seconds_ago, later.just_by_you) == ("already_used", True, 60, False)
    assert later.message == MESSAGES[CheckInResult.ALREADY_USED]


def test_a_colleagues_check_in_is_refused_saying_who_and_when(staff, ticket, make_user, venue):
    colleague = make_user(Role.STAFF, name="王芳", venues=[venue])
    scan(colleague, ticket.ticket_code, ticket.session.venue_id, "colleague")
    mine = scan(staff, ticket.ticket_code, ticket.session.venue_id, "mine", at="2026-06-10 18:50:10")
    assert (mine.result, mine.by_you, mine.just_by_you) == ("already_used", False, False)
    assert (mine.used_by_id, mine.used_by_name, mine.seconds_ago) == (colleague.id, "王*", 10)


def test_a_retried_confirmation_counts_its_time_from_the_first_answer(staff, ticket):
    scan(staff, ticket.ticket_code, ticket.session.venue_id, "first")
    scan(staff, ticket.ticket_code, ticket.session.venue_id, "reload", at="2026-06-10 18:50:30")
    retry = scan(staff, ticket.ticket_code, ticket.session.venue_id, "reload", at="2026-06-10 18:52")
    assert (retry.result, retry.seconds_ago, retry.just_by_you) == ("already_used", 30, True)
    assert scans() == ["ok", "already_used"]


# ---- The same through the API, on the real clock ----

@pytest.fixture
def door_clock(app):
    """The clock at the door, ten minutes before the session; freezegun moves it on."""
    db.session.execute(select(1))  # drivers with C parts load before freezegun swaps the date classes
    db.session.rollback()
    with freeze_time(bj(DOOR)) as clock:
        yield clock


@pytest.fixture
def api_scan(client, token_for, ticket):
    """api_scan(user, nonce) -> (status, JSON) of POST /api/v1/checkins for the ticket."""
    tokens = {}

    def post(user, nonce):
        headers = tokens.setdefault(user.id, token_for(user))
        body = {"code": ticket.ticket_code, "venue_id": ticket.session.venue_id, "nonce": nonce}
        response = client.post("/api/v1/checkins", json=body, headers=headers)
        return response.status_code, response.get_json()

    return post


def test_the_api_says_how_long_ago_and_by_whom(door_clock, api_scan, staff, make_user, venue):
    colleague = make_user(Role.STAFF, name="王芳", venues=[venue])
    assert api_scan(staff, "phone-1")[0] == 200
    door_clock.tick(timedelta(seconds=20))
    status, again = api_scan(staff, "phone-2")
    assert (status, again["result"], again["by_you"], again["just_by_you"]) == (409, "already_used", True, True)
    assert (again["seconds_ago"], again["used_by_id"], again["used_by_name"]) == (20, staff.id, "郑*")
    assert again["used_at"] == "2026-06-10T18:50:00+08:00"
    status, theirs = api_scan(colleague, "colleague")
    assert (status, theirs["by_you"], theirs["just_by_you"], theirs["used_by_id"]) == (409, False, False, staff.id)
    door_clock.tick(timedelta(seconds=41))
    status, later = api_scan(staff, "phone-3")
    assert (status, later["seconds_ago"], later["by_you"], later["just_by_you"]) == (409, 61, True, False)


def test_the_api_keeps_the_log_of_a_refused_scan(door_clock, api_scan, staff):
    api_scan(staff, "first")
    assert api_scan(staff, "second")[0] == 409
    db.session.rollback()  # what the database kept, not what this session remembers
    assert scans() == ["ok", "already_used"]
