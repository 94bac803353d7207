"""One Idempotency-Key sent by many clients at once over real HTTP: one transfer, one answer."""
from collections import Counter
from datetime import timedelta

import pytest

from points import ledger
from points.accounts import members
from points.accounts.models import Role
from points.extensions import db
from points.redemption import bookings, sessions, venues
from points.timeutil import now_utc


@pytest.fixture
def award_to(make_user, token_for):
    """(resident id, reviewer's headers with one Idempotency-Key, the body of an award of 10 points)."""
    reviewer, resident = make_user(Role.REVIEWER), make_user()
    headers = token_for(reviewer) | {"Idempotency-Key": "award-2024-06-01-snow"}
    return resident.id, headers, {"user_id": resident.id, "points": 10, "note": "扫雪"}


def test_twenty_retries_at_once_write_one_transfer(post_at_once, award_to):
    resident_id, headers, body = award_to
    answers = post_at_once(20, "/api/v1/awards", body_for=lambda i: body, headers_for=lambda i: headers)

    assert [status for status, _, _ in answers] == [201] * 20
    assert len({answer["transfer_id"] for _, _, answer in answers}) == 1
    assert Counter(head.get("Idempotent-Replayed") for _, head, _ in answers) == {"true": 19, None: 1}
    db.session.rollback()
    assert ledger.balance(resident_id).available == 10
    assert len(ledger.history(resident_id)) == 1
    assert ledger.verify() == []


def test_one_key_with_two_bodies_at_once_writes_one_of_them(post_at_once, award_to):
    resident_id, headers, body = award_to
    bodies = [body, body | {"points": 20}]
    answers = post_at_once(20, "/api/v1/awards", body_for=lambda i: bodies[i % 2], headers_for=lambda i: headers)

    accepted = [(i % 2, answer["transfer_id"]) for i, (status, _, answer) in enumerate(answers) if status == 201]
    refused = [answer["error"]["code"] for status, _, answer in answers if status != 201]
    assert len(set(accepted)) == 1 and len(accepted) == 10  # every copy of the winning body, one transfer
    assert refused == ["idempotency_key_reused"] * 10
    db.session.rollback()
    assert ledger.balance(resident_id).available == (10, 20)[accepted[0][0]]
    assert ledger.verify() == []


@pytest.mark.parametrize("change", [{"points": 11}, {"note": "扫雪除冰"}], ids=["points", "note"])
def test_a_key_reused_for_another_body_is_refused(client, award_to, change):
    resident_id, headers, body = award_to
    first = client.post("/api/v1/awards", json=body, headers=headers)
    again = client.post("/api/v1/awards", json=body | change, headers=headers)
    assert first.status_code == 201
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "idempotency_key_reused"
    assert ledger.balance(resident_id).available == 10


def test_a_retry_gets_the_original_answer(client, award_to):
    _, headers, body = award_to
    first = client.post("/api/v1/awards", json=body, headers=headers)
    again = client.post("/api/v1/awards", json=body, headers=headers)
    assert (again.status_code, again.get_json()) == (201, first.get_json())
    assert again.headers["Idempotent-Replayed"] == "true"


# ---- Bookings, cancellations and walk-ins: the twin waits for the first and gets its answer ----

@pytest.fixture
def venue(app):
    venue = venues.create_venue("乒乓球馆", "table_tennis")
    db.session.commit()
    return venue


def tomorrow_at(venue, cost=5):
    """A session a day ahead: open for booking and for cancelling, whatever the hour."""
    starts = now_utc() + timedelta(days=1)
    session = sessions.create_session(venue, starts, starts + timedelta(hours=1), 10, cost)
    db.session.commit()
    return session


def resident_with(make_user, points):
    resident = make_user(Role.RESIDENT)
    if points:
        ledger.award(resident.id, points, f"seed:{resident.id}")
        db.session.commit()
    return resident


def replayed(answers):
    return Counter(head.get("Idempotent-Replayed") for _, head, _ in answers)


def test_twenty_bookings_with_one_key_at_once_book_once(post_at_once, make_user, token_for, venue):
    resident = resident_with(make_user, 20)
    body = {"session_id": tomorrow_at(venue).id}  # read here: the racing threads have no app
    headers = token_for(resident) | {"Idempotency-Key": "book-tap"}
    answers = post_at_once(20, "/api/v1/bookings", body_for=lambda i: body, headers_for=lambda i: headers)

    assert {status for status, _, _ in answers} == {201}
    assert len({str(answer) for _, _, answer in answers}) == 1  # one booking id, one ticket, one answer
    assert replayed(answers) == {"true": 19, None: 1}
    db.session.rollback()
    assert len(bookings.bookings_of(resident.id)) == 1
    assert ledger.balance(resident.id) == ledger.Balance(available=15, held=5, earned_total=20)
    assert ledger.verify() == []


def test_twenty_cancellations_with_one_key_at_once_cancel_once(post_at_once, make_user, token_for, venue):
    resident = resident_with(make_user, 20)
    booking = bookings.book(resident, resident, tomorrow_at(venue), "booking")
    db.session.commit()
    headers = token_for(resident) | {"Idempotency-Key": "cancel-tap"}
    path = f"/api/v1/bookings/{booking.id}/cancel"
    answers = post_at_once(20, path, body_for=lambda i: {},
                           headers_for=lambda i: headers)

    assert {status for status, _, _ in answers} == {200}
    assert len({str(answer) for _, _, answer in answers}) == 1 and answers[0][2]["status"] == "cancelled"
    assert replayed(answers) == {"true": 19, None: 1}
    db.session.rollback()
    assert ledger.balance(resident.id) == ledger.Balance(available=20, held=0, earned_total=20)
    assert ledger.verify() == []


def test_twenty_refused_bookings_with_one_key_at_once_give_one_refusal(post_at_once, make_user, token_for, venue):
    resident = resident_with(make_user, 3)  # the session costs 5
    body = {"session_id": tomorrow_at(venue).id}  # read here: the racing threads have no app
    headers = token_for(resident) | {"Idempotency-Key": "book-tap"}
    answers = post_at_once(20, "/api/v1/bookings", body_for=lambda i: body, headers_for=lambda i: headers)

    assert Counter((status, answer["error"]["code"]) for status, _, answer in answers) == {
        (409, "insufficient_points"): 20}
    assert replayed(answers) == {"true": 19, None: 1}


def test_one_member_code_scanned_at_once_by_twenty_phones_pays_once(post_at_once, make_user, token_for, venue):
    resident = resident_with(make_user, 20)
    offering = venues.add_offering(venue, "矿泉水", "Water", 4)
    db.session.commit()
    headers = token_for(make_user(Role.STAFF, venues=[venue]))
    scan = {"member_code": members.phone_code(resident), "offering_id": offering.id}
    answers = post_at_once(20, "/api/v1/walk-ins", body_for=lambda i: scan,
                           headers_for=lambda i: headers | {"Idempotency-Key": f"phone-{i}"})

    assert {status for status, _, _ in answers} == {201}
    assert len({answer["transfer_id"] for _, _, answer in answers}) == 1
    db.session.rollback()
    assert ledger.balance(resident.id).available == 16
    assert ledger.verify() == []
