"""The redeeming API through HTTP: venues, sessions, bookings, tickets, check-ins, walk-ins."""
from datetime import timedelta

import pytest

from points.accounts import members
from points.accounts.models import Role
from points.extensions import db
from points.redemption import venues
from points.timeutil import now_utc


@pytest.fixture
def admin_headers(make_user, token_for):
    return token_for(make_user(Role.ADMIN))


@pytest.fixture
def upcoming(client, admin_headers, venue):
    """A session starting in 20 minutes (so check-in is open), published through the API."""
    starts = now_utc() + timedelta(minutes=20)
    body = {"venue_id": venue.id, "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=1)).isoformat(),
            "capacity": 2, "cost": 5}
    response = client.post("/api/v1/sessions", json=body, headers=admin_headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def booked(client, headers, session_id, **extra):
    return client.post("/api/v1/bookings", json={"session_id": session_id}, headers={**headers, **extra})


def test_an_admin_opens_a_venue_with_its_account(client, admin_headers, token_for, resident):
    body = {"name": "游泳馆", "kind": "swimming", "no_show_policy": "forfeit"}
    created = client.post("/api/v1/venues", json=body, headers=admin_headers)
    assert created.status_code == 201 and created.get_json()["id"]
    listed = client.get("/api/v1/venues", headers=token_for(resident)).get_json()
    assert [(v["name"], v["no_show_policy"]) for v in listed] == [("游泳馆", "forfeit")]
    assert client.post("/api/v1/venues", json=body, headers=token_for(resident)).status_code == 403
    assert client.post("/api/v1/venues", json=body, headers=admin_headers).get_json()["error"]["code"] == "venue_name_taken"


def test_sessions_are_listed_in_beijing_time_with_places_left(client, token_for, resident, upcoming):
    listed = client.get(f"/api/v1/sessions?venue_id={upcoming['venue_id']}", headers=token_for(resident)).get_json()
    assert [(s["id"], s["capacity"], s["booked"], s["places_left"], s["cost"]) for s in listed] == [
        (upcoming["id"], 2, 0, 2, 5)]
    assert listed[0]["starts_at"].endswith("+08:00")


def test_a_time_without_offset_is_refused_clearly(client, admin_headers, venue):
    body = {"venue_id": venue.id, "starts_at": "2030-06-11T19:00:00", "ends_at": "2030-06-11T20:00:00",
            "capacity": 2, "cost": 5}
    error = client.post("/api/v1/sessions", json=body, headers=admin_headers).get_json()["error"]
    assert error["code"] == "time_without_offset" and "starts_at" in error["fields"]


def test_booking_gives_a_ticket_once_per_idempotency_key(client, token_for, resident, upcoming):
    headers = {**token_for(resident), "Idempotency-Key": "tap-1"}
    first, retry = booked(client, headers, upcoming["id"]), booked(client, headers, upcoming["id"])
    assert first.status_code == retry.status_code == 201
    assert first.get_json()["ticket_code"] == retry.get_json()["ticket_code"]
    assert first.get_json()["balance"] == {"available": 95, "held": 5, "earned_total": 100}


@pytest.mark.parametrize("points, code", [(3, "insufficient_points"), (100, "already_booked")])
def test_booking_refusals_are_409_with_their_code(client, token_for, make_resident, upcoming, points, code):
    headers = token_for(make_resident(points))
    if code == "already_booked":
        booked(client, headers, upcoming["id"])
    refused = booked(client, headers, upcoming["id"])
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == code


def test_the_qr_is_for_the_owner_only(client, token_for, resident, make_resident, upcoming):
    ticket = booked(client, token_for(resident), upcoming["id"]).get_json()
    qr = client.get(f"/api/v1/bookings/{ticket['id']}/qr.svg", headers=token_for(resident))
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    assert client.get(f"/api/v1/bookings/{ticket['id']}/qr.svg", headers=token_for(make_resident())).status_code == 404


def test_cancelling_releases_the_hold(client, token_for, resident, upcoming):
    headers = token_for(resident)
    ticket = booked(client, headers, upcoming["id"]).get_json()
    # The session starts in 20 minutes: too late to cancel.
    refused = client.post(f"/api/v1/bookings/{ticket['id']}/cancel", headers=headers)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "cancel_deadline_passed"
    assert client.get("/api/v1/bookings", headers=headers).get_json()[0]["status"] == "booked"


def test_check_in_answers_with_a_result_and_the_right_status(client, token_for, make_user, resident, venue, upcoming):
    ticket = booked(client, token_for(resident), upcoming["id"]).get_json()
    staff = token_for(make_user(Role.STAFF, venues=[venue]))
    scan = {"code": ticket["ticket_code"], "venue_id": venue.id}
    ok = client.post("/api/v1/checkins", json={**scan, "nonce": "a"}, headers=staff)
    used = client.post("/api/v1/checkins", json={**scan, "nonce": "b"}, headers=staff)
    unknown = client.post("/api/v1/checkins", json={**scan, "code": "T1.nope", "nonce": "c"}, headers=staff)
    assert (ok.status_code, ok.get_json()["result"], ok.get_json()["resident_name"]) == (200, "ok", "张**")
    assert (used.status_code, used.get_json()["result"]) == (409, "already_used") and used.get_json()["used_by_name"]
    assert (unknown.status_code, unknown.get_json()["result"]) == (404, "unknown_code")
    retried = client.post("/api/v1/checkins", json={**scan, "nonce": "b"}, headers=staff)
    assert (retried.status_code, retried.get_json()["result"]) == (409, "already_used")
    resident_scan = client.post("/api/v1/checkins", json={**scan, "nonce": "d"}, headers=token_for(resident))
    assert resident_scan.status_code == 403


def test_a_walk_in_spends_points_at_once(client, token_for, make_user, resident, venue):
    offering = venues.add_offering(venue, "羽毛球一小时", "One hour of badminton", 10)
    db.session.commit()
    staff = token_for(make_user(Role.STAFF, venues=[venue]))
    body = {"member_code": members.phone_code(resident), "offering_id": offering.id}
    done = client.post("/api/v1/walk-ins", json=body, headers={**staff, "Idempotency-Key": "w1"})
    again = client.post("/api/v1/walk-ins", json=body, headers={**staff, "Idempotency-Key": "w1"})
    assert done.status_code == again.status_code == 201
    assert done.get_json()["balance"]["available"] == 90 and done.get_json()["resident_name"] == "张**"
    forged = client.post("/api/v1/walk-ins", json={**body, "member_code": "M1.forged"}, headers=staff)
    assert forged.status_code == 404 and forged.get_json()["error"]["code"] == "unknown_member"
