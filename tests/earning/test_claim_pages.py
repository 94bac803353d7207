"""The resident's claim form and claims list, and a reviewer claiming for a resident without a phone."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from points import ledger
from points.accounts.models import Role, User
from points.earning import claims
from points.earning.models import Claim, ClaimStatus
from points.extensions import db
from tests.earning.helpers import image_bytes, multipart, rows, stored_photos, upload


def fields(action, days_ago=0, **extra):
    day = claims.local_today() - timedelta(days=days_ago)
    return {"action_type": str(action.id), "occurred_on": day.isoformat(), "quantity": "1", "note": "", **extra}


def test_the_form_asks_for_camera_photos(client, resident, make_action, login, page):
    action = make_action(evidence_required=True, daily_cap=6)
    login(resident)
    status, html = page("/claims/new")
    assert status == 200
    assert 'enctype="multipart/form-data"' in html
    assert 'capture="environment"' in html and 'accept="image/jpeg,image/png,image/webp,image/*"' in html
    assert "multiple" in html and "photo-shrink.js" in html
    assert action.name_en in html and "at most 6 a day" in html and "photo required" in html
    assert f"{action.points} points each time" in html and "per time" not in html
    assert f'max="{claims.local_today().isoformat()}"' in html


def test_a_resident_claims_with_a_photo_and_sees_it_waiting(client, resident, make_action, login):
    action = make_action(evidence_required=True)
    login(resident)
    data = fields(action, photos=[upload(image_bytes())], album=[])
    response = client.post("/claims/new", **multipart(data), follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Claim sent: 3 points" in html
    assert "Waiting for review" in html and "Withdraw this claim" in html
    assert rows() == (1, 1) and len(stored_photos()) == 1


def test_photos_from_the_album_count_too(client, resident, make_action, login):
    login(resident)
    data = fields(make_action(evidence_required=True), photos=[], album=[upload(image_bytes()), upload(image_bytes())])
    assert client.post("/claims/new", **multipart(data)).status_code == 302
    assert rows() == (1, 2)


@pytest.mark.parametrize("days_ago, message", [(-1, "The day cannot be in the future."),
                                               (40, "Claims are accepted for the last 30 days only.")])
def test_bad_days_are_shown_on_the_form_and_nothing_is_written(client, resident, make_action, login,
                                                                days_ago, message):
    login(resident)
    response = client.post("/claims/new", data=fields(make_action(), days_ago))
    assert response.status_code == 422  # asked beside the form's other fields, so all show at once
    html = response.get_data(as_text=True)
    assert message in html and 'aria-invalid="true"' in html
    assert rows() == (0, 0)


def test_a_missing_photo_and_a_bad_file_are_explained(client, resident, make_action, login):
    action = make_action(evidence_required=True)
    login(resident)
    response = client.post("/claims/new", data=fields(action))
    assert response.status_code == 422 and "needs at least one photo" in response.get_data(as_text=True)
    text_file = upload(b"not a picture", "evil.jpg")
    response = client.post("/claims/new", **multipart(fields(action, photos=[text_file])))
    assert response.status_code == 422 and "A file is not a photo" in response.get_data(as_text=True)
    assert "please add them again" in response.get_data(as_text=True)
    assert rows() == (0, 0) and stored_photos() == []


def test_a_duplicate_is_refused_with_a_friendly_message(client, resident, make_action, make_claim, login):
    action = make_action()
    make_claim(resident, action)
    login(resident)
    response = client.post("/claims/new", data=fields(action))
    assert response.status_code == 409
    assert "already claimed this action for that day" in response.get_data(as_text=True)
    assert rows() == (1, 0)


def test_an_oversize_request_gets_a_clear_page(app, client, resident, make_action, login):
    app.config["MAX_CONTENT_LENGTH"] = 100_000
    login(resident)
    data = fields(make_action(), photos=[upload(image_bytes() + b"\0" * 200_000)])
    response = client.post("/claims/new", **multipart(data))
    assert response.status_code == 413
    assert "The photos are too large: at most 5 photos of 8 MB each." in response.get_data(as_text=True)
    assert rows() == (0, 0)


def test_every_status_and_the_reviewers_reason_are_shown(client, resident, reviewer_user, make_claim, login, page):
    approved, rejected, withdrawn = (make_claim(resident, days_ago=n) for n in range(3))
    claims.approve(reviewer_user, approved)
    claims.reject(reviewer_user, rejected, "照片与楼道不符")
    claims.withdraw(resident, withdrawn)
    make_claim(resident, days_ago=3)
    db.session.commit()
    login(resident)
    html = page("/claims")[1]
    for label in ("Approved", "Rejected", "Withdrawn", "Waiting for review"):
        assert label in html
    assert "照片与楼道不符" in html and "赵敏" in html


def test_a_claim_that_brings_no_points_shows_none(client, resident, reviewer_user, make_claim, login, page):
    approved, rejected, withdrawn, pending = (make_claim(resident, days_ago=n) for n in range(4))
    claims.approve(reviewer_user, approved)
    claims.reject(reviewer_user, rejected, "照片与楼道不符")
    claims.withdraw(resident, withdrawn)
    db.session.commit()
    login(resident)
    html = page("/claims")[1]
    shown = {claim.id: _claim_card(html, claim.id) for claim in (approved, rejected, withdrawn, pending)}
    assert f"+{approved.points}" in shown[approved.id] and f"+{pending.points}" in shown[pending.id]
    assert "claim__points" not in shown[rejected.id] and "claim__points" not in shown[withdrawn.id]


def _claim_card(html, claim_id):
    start = html.index(f'data-claim="{claim_id}"')
    return html[start:html.index("</article>", start)]


def test_a_resident_withdraws_a_pending_claim(client, resident, make_claim, login):
    claim = make_claim(resident)
    login(resident)
    response = client.post(f"/claims/{claim.id}/withdraw", follow_redirects=True)
    assert "Claim withdrawn." in response.get_data(as_text=True)
    assert db.session.get(Claim, claim.id).status == ClaimStatus.WITHDRAWN
    again = client.post(f"/claims/{claim.id}/withdraw", follow_redirects=True)
    assert "already been decided or withdrawn" in again.get_data(as_text=True)


def test_nobody_else_withdraws_or_sees_a_claim_photo(client, make_user, resident, make_claim, login):
    claim = make_claim(resident, photos=[upload(image_bytes())])
    login(make_user(name="刘德华"))
    assert client.post(f"/claims/{claim.id}/withdraw").status_code == 404
    assert client.get(f"/claims/{claim.id}/photos/{claim.photos[0].id}").status_code == 404
    assert db.session.get(Claim, claim.id).status == ClaimStatus.PENDING


def test_claim_pages_need_signing_in(client, resident, make_claim):
    claim = make_claim(resident, photos=[upload(image_bytes())])
    for path in ("/claims", "/claims/new", f"/claims/{claim.id}/photos/{claim.photos[0].id}"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_reviewer_registers_a_resident_and_claims_for_them(client, reviewer_user, make_action, login, page):
    action = make_action()
    login(reviewer_user)
    response = client.post("/review/residents/new", data={"name": "孙大爷", "phone": "13912345678",
                                                          "community": "锦湖社区"})
    assert response.status_code == 302
    resident_id = int(response.headers["Location"].rsplit("=", 1)[1])
    html = page(f"/claims/new?resident={resident_id}")[1]
    assert "You are submitting for 孙大爷" in html and "139****5678" in html
    response = client.post(f"/claims/new?resident={resident_id}", data=fields(action))
    assert response.status_code == 302
    claim = db.session.scalars(select(Claim)).one()
    assert (claim.user_id, claim.submitted_by) == (resident_id, reviewer_user.id)
    assert "Submitted by" in page("/review")[1]


def test_a_registered_resident_needs_a_valid_unused_phone(client, reviewer_user, resident, login):
    login(reviewer_user)
    for phone, message in (("", "Please enter the resident's mobile number."),
                           ("12345", "mainland mobile number of 11 digits"),
                           (resident.phone, "already registered")):
        response = client.post("/review/residents/new", data={"name": "孙大爷", "phone": phone,
                                                              "community": "锦湖社区"})
        assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_a_reviewer_registers_only_into_their_own_community(client, reviewer_user, login):
    login(reviewer_user)
    assert "午山社区" not in client.get("/review/residents/new").get_data(as_text=True)
    response = client.post("/review/residents/new", data={"name": "孙大爷", "phone": "13912345678",
                                                          "community": "午山社区"})
    assert response.status_code == 422
    assert db.session.scalars(select(User).where(User.phone == "13912345678")).first() is None


def test_a_reviewer_cannot_claim_for_another_communitys_resident(client, make_user, resident, make_action, login):
    login(make_user(Role.REVIEWER, community="午山社区"))
    assert client.get(f"/claims/new?resident={resident.id}").status_code == 404
    assert client.post(f"/claims/new?resident={resident.id}", data=fields(make_action())).status_code == 404
    assert rows() == (0, 0)
    assert ledger.balance(resident.id).available == 0


def test_people_who_are_no_residents_are_sent_to_act_for_others(client, make_user, login):
    login(make_user(Role.REVIEWER))
    response = client.get("/claims/new")
    assert response.status_code == 302 and response.headers["Location"].endswith("/review/residents")
    login(make_user(Role.STAFF))
    assert client.get("/claims/new").status_code == 403
