"""The door pages through the test client: who may open them, what a scan answers, the photo fallback,
today's list and walk-ins. The check-in rules themselves are tested with the redemption operations."""
import io
import re
from datetime import timedelta

import pytest
import qrcode
from PIL import Image
from sqlalchemy import func, select

from points import ledger
from points.accounts import members
from points.accounts.models import Role
from points.extensions import db
from points.redemption import venues
from points.redemption.models import Scan


def scans_logged():
    return db.session.scalar(select(func.count()).select_from(Scan))


def png_of(text=None, size=(400, 400)):
    image = qrcode.make(text, border=4).get_image().convert("RGB") if text else Image.new("RGB", size, "white")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    buffer.seek(0)
    return buffer


# ---- Who may open the door pages ----

@pytest.mark.parametrize("path", ["/scan", "/scan/today", "/scan/walk-in"])
def test_door_pages_are_for_staff(client, make_user, login, venue, path):
    assert client.get(path).status_code == 302  # to the sign-in page
    login(make_user(Role.RESIDENT))
    assert client.get(path).status_code == 403


def test_staff_see_the_scanner_for_their_venue(client, staff, venue):
    page = client.get("/scan").get_data(as_text=True)
    assert "羽毛球馆" in page
    assert 'data-result=""' in page and "data-scanner" in page
    assert f'data-params=\'{{"venue_id": {venue.id}}}\'' in page
    assert 'capture="environment"' in page


def test_staff_of_several_venues_choose_one_and_it_is_remembered(client, make_user, login, venue):
    pool = venues.create_venue("游泳馆", "swimming")
    db.session.commit()
    login(make_user(Role.STAFF, venues=[venue, pool]))
    assert "游泳馆" in client.get("/scan").get_data(as_text=True)  # the chooser lists both
    client.get(f"/scan?venue={pool.id}")
    assert f'"venue_id": {pool.id}' in client.get("/scan").get_data(as_text=True)
    assert "游泳馆" in client.get("/scan/today").get_data(as_text=True)


def test_staff_without_a_venue_are_told_to_ask_an_admin(client, make_user, login):
    login(make_user(Role.STAFF))
    assert "not assigned to any venue" in client.get("/scan", headers={"Accept-Language": "en"}).get_data(as_text=True)


# ---- Scanning ----

def test_a_ticket_checks_in_once_and_then_shows_when_and_by_whom(staff, ticket, scan, venue):
    booking = ticket()
    status, answer = scan(booking.ticket_code, venue.id, "nonce-first")
    assert status == 200 and answer["result"] == "ok"
    assert answer["resident_name"] == "张**" and answer["session_time"]
    assert scan(booking.ticket_code, venue.id, "nonce-first")[1]["result"] == "ok"  # a retry, not a second scan
    again = scan(booking.ticket_code, venue.id)[1]
    assert again["result"] == "already_used" and again["used_by_name"] == "郑*" and again["used_at"]
    assert ledger.verify() == []


def test_the_scanner_page_shows_your_own_check_in_again_as_a_calm_confirmation(client, staff):
    page = client.get("/scan", headers={"Accept-Language": "en"}).get_data(as_text=True)
    calm = page.index('data-result-template="already_used" data-if="just_by_you" data-tone="confirm"')
    assert calm < page.index('data-result-template="already_used" data-tone="bad"')  # the first that fits wins
    assert "Just checked in by you" in page[calm:page.index("</template>", calm)]


def test_a_reloaded_scanner_shows_your_own_check_in_as_a_confirmation(staff, ticket, scan, venue):
    code = ticket().ticket_code
    assert scan(code, venue.id, "before-reload")[1]["result"] == "ok"
    status, again = scan(code, venue.id, "after-reload")
    assert (status, again["result"], again["by_you"], again["just_by_you"]) == (200, "already_used", True, True)
    assert again["used_by_name"] == "郑*" and again["used_at"]
    assert re.fullmatch(r"\d+秒钟前", again["used_ago"])  # "… seconds ago"
    db.session.rollback()
    assert scans_logged() == 2  # the refused scan is logged too


def test_your_own_check_in_more_than_a_minute_ago_is_red_saying_when(staff, ticket, scan, venue, beijing_noon):
    code = ticket().ticket_code
    scan(code, venue.id)
    beijing_noon.tick(timedelta(minutes=3))
    later = scan(code, venue.id)[1]
    assert (later["result"], later["by_you"], later["just_by_you"]) == ("already_used", True, False)
    assert later["used_ago"] == "3分钟前" and later["message"] == "这个入场码已使用过"


def test_a_colleagues_check_in_is_red_saying_who_and_when(client, make_user, login, staff, ticket, scan, venue):
    code = ticket().ticket_code
    scan(code, venue.id)
    login(make_user(Role.STAFF, name="王芳", venues=[venue]))
    theirs = scan(code, venue.id)[1]
    assert (theirs["result"], theirs["by_you"], theirs["just_by_you"]) == ("already_used", False, False)
    assert theirs["used_by_name"] == "郑*" and theirs["used_ago"].endswith("前")  # "…ago" in Chinese


def test_the_short_code_can_be_typed_in_any_case_with_a_dash(staff, ticket, scan, venue):
    short = ticket().short_code
    assert scan(f"{short[:4].lower()}-{short[4:]}", venue.id)[1]["result"] == "ok"


@pytest.mark.parametrize("starts_in, result", [(timedelta(hours=2), "not_open_yet"),
                                               (timedelta(hours=-3), "session_over")])
def test_too_early_and_too_late_are_amber_results(staff, ticket, scan, venue, starts_in, result):
    assert scan(ticket(starts_in=starts_in).ticket_code, venue.id)[1]["result"] == result


def test_a_ticket_for_another_venue_says_which(client, make_user, login, ticket, scan, venue):
    pool = venues.create_venue("游泳馆", "swimming")
    db.session.commit()
    login(make_user(Role.STAFF, venues=[venue, pool]))
    answer = scan(ticket(at=pool).ticket_code, venue.id)[1]
    assert answer["result"] == "wrong_venue" and answer["venue_name"] == "游泳馆"


def test_an_unknown_code_is_an_answer_and_is_logged(staff, scan, venue):
    status, answer = scan("https://example.com/not-a-ticket", venue.id)
    assert (status, answer["result"]) == (200, "unknown_code")
    assert scans_logged() == 1


def test_staff_cannot_scan_for_a_venue_that_is_not_theirs(staff, scan):
    pool = venues.create_venue("游泳馆", "swimming")
    db.session.commit()
    status, answer = scan("T1.whatever", pool.id)
    assert status == 403 and answer["error"]["code"] == "not_your_venue"
    assert scans_logged() == 0


VENUE = object()  # stands for the test venue's id


@pytest.mark.parametrize("body", [
    None, [], {"venue_id": VENUE, "nonce": "n-12345678"}, {"code": 5, "venue_id": VENUE, "nonce": "n-12345678"},
    {"code": "T1.x", "venue_id": "1", "nonce": "n-12345678"}, {"code": "T1.x", "venue_id": True, "nonce": "n-1"},
    {"code": "T1.x", "venue_id": VENUE}, {"code": "T1.x", "venue_id": VENUE, "nonce": ""},
    {"code": "x" * 5000, "venue_id": VENUE, "nonce": "n-12345678"},
])
def test_bad_scanner_requests_get_a_message_and_change_nothing(client, staff, venue, body):
    if isinstance(body, dict):
        body = {name: venue.id if value is VENUE else value for name, value in body.items()}
    response = client.post("/scan/check", json=body, headers={"Accept": "application/json"})
    assert response.status_code == 422 and response.get_json()["error"]["message"]
    assert scans_logged() == 0


# ---- The photo fallback ----

def test_a_photo_of_a_ticket_is_read_on_the_server(client, staff):
    response = client.post("/scan/decode", data={"photo": (png_of("T1.abc"), "ticket.png")})
    assert response.status_code == 200 and response.get_json() == {"code": "T1.abc"}


@pytest.mark.parametrize("photo, code", [
    (lambda: png_of(), "no_qr_found"),
    (lambda: io.BytesIO(b"%PDF-1.4 not a photo"), "not_a_photo"),
    (lambda: io.BytesIO(png_of("T1.abc").getvalue()[:300]), "not_a_photo"),  # cut off in the middle
    (lambda: io.BytesIO(b""), "not_a_photo"),
])
def test_a_photo_that_cannot_be_read_says_why(client, staff, photo, code):
    response = client.post("/scan/decode", data={"photo": (photo(), "photo.png")},
                           headers={"Accept": "application/json"})
    assert response.status_code == 422 and response.get_json()["error"]["code"] == code


def test_a_decompression_bomb_is_refused_unread(client, staff):
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")  # a few kB that would unpack to 100 MP
    bomb.seek(0)
    response = client.post("/scan/decode", data={"photo": (bomb, "bomb.png")}, headers={"Accept": "application/json"})
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "photo_too_large"


def test_a_photo_over_the_size_limit_is_refused(app, client, staff):
    app.config["SCAN_PHOTO_MAX_BYTES"] = 1000
    response = client.post("/scan/decode", data={"photo": (io.BytesIO(b"\xff" * 5000), "big.jpg")},
                           headers={"Accept": "application/json"})
    assert response.status_code == 413


def test_a_request_without_a_photo_gets_a_message(client, staff):
    response = client.post("/scan/decode", data={}, headers={"Accept": "application/json"})
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "not_a_photo"


# ---- Today ----

def test_today_lists_sessions_with_counts_and_masked_names(client, staff, ticket, scan, venue, resident):
    scan(ticket().ticket_code, venue.id)
    ticket(starts_in=timedelta(hours=3))
    page = client.get("/scan/today").get_data(as_text=True)
    assert page.count('data-booked="1"') == 2
    assert 'data-checked-in="1"' in page and 'data-checked-in="0"' in page
    assert f"张** · {resident.phone[-4:]}" in page and "张桂兰" not in page


# ---- Walk-ins ----

def walk_in_form(client, code, offering_id, key="5b0b7a53-1f7e-4d7e-9a55-0d6a8a0d7c11"):
    return client.post("/scan/walk-in", data={"member_code": code, "offering": offering_id, "request_key": key})


def test_a_walk_in_is_redeemed_once_and_shows_the_new_balance(client, staff, venue, resident):
    ledger.award(resident.id, 30, "test:walk-in")
    db.session.commit()
    code, offering = members.phone_code(resident), venue.offerings[0]
    looked_up = client.post("/scan/walk-in/member", json={"code": code, "nonce": "n-12345678"}).get_json()
    assert looked_up["result"] == "member" and looked_up["resident_name"].startswith("张**")
    first = walk_in_form(client, code, offering.id)
    again = walk_in_form(client, code, offering.id)  # the same form sent twice
    assert first.status_code == again.status_code == 200
    assert 'data-balance="20"' in again.get_data(as_text=True)
    assert ledger.balance(resident.id).available == 20


def test_a_walk_in_without_enough_points_is_refused_with_the_figures(client, staff, venue, resident):
    response = walk_in_form(client, members.phone_code(resident), venue.offerings[0].id)
    assert response.status_code == 409
    assert "10" in response.get_data(as_text=True) and ledger.balance(resident.id).available == 0


def test_a_bad_member_code_is_a_clear_answer(client, staff):
    response = client.post("/scan/walk-in/member", json={"code": "T1.a-ticket", "nonce": "n-12345678"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "unknown_member"


def test_the_walk_in_form_needs_a_scanned_member(client, staff, venue):
    response = walk_in_form(client, "", venue.offerings[0].id)
    assert response.status_code == 422


def test_changing_venue_leads_back_to_the_page_it_came_from(client, make_user, login, venue):
    pool = venues.create_venue("游泳馆", "swimming")
    db.session.commit()
    login(make_user(Role.STAFF, venues=[venue, pool]))
    assert f"/scan/today?venue={pool.id}" in client.get("/scan/venue?next=scan.today").get_data(as_text=True)
    assert f"/scan?venue={pool.id}" in client.get("/scan/venue?next=https://evil.example").get_data(as_text=True)
