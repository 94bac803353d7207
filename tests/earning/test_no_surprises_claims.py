"""No surprises for a resident's claims: a decision waits on their home, a rejected claim can be sent again."""
import pytest

from points.earning import claims
from points.earning.models import Claim, ClaimStatus
from points.extensions import db
from points.redemption.models import Notification


@pytest.fixture
def as_resident(client, login, resident):
    """as_resident() signs the reviewer out and the resident in, on the same client (one request context at a time)."""

    def switch():
        assert client.post("/logout").status_code == 302
        login(resident)

    return switch


def test_a_bulk_rejection_waits_on_the_home_with_the_action_and_the_reason(client, resident, make_action, make_claim,
                                                                             reviewer_user, login, as_resident, page):
    first, second = (make_claim(resident, make_action(name_en=name)) for name in ("Litter picking", "Stair sweeping"))
    login(reviewer_user)
    client.post("/review/decide", data={"bulk": "reject", "claim_ids": [first.id, second.id], "reason": "No photo"})
    as_resident()
    home = page("/")[1]
    for name in ("Litter picking", "Stair sweeping"):
        assert f"Your claim “{name}” on" in home
    assert home.count("was rejected; no points were added. Reason: No photo") == 2


def test_an_approval_says_how_many_points_and_is_gone_once_read(client, resident, make_action, make_claim,
                                                                reviewer_user, login, as_resident, page):
    claim = make_claim(resident, make_action(points=8, name_en="Helping a neighbour"))
    login(reviewer_user)
    client.post("/review/decide", data={"approve_one": claim.id})
    as_resident()
    home = page("/")[1]
    assert "Your claim “Helping a neighbour” on" in home and "was approved: +8 points." in home
    client.post("/notifications/read")
    assert "was approved" not in page("/")[1]
    db.session.expire_all()
    assert db.session.execute(db.select(Notification.read_at)).scalar_one() is not None


@pytest.fixture
def rejected(resident, make_action, make_claim, reviewer_user):
    """A claim of two hours with a note, made three days ago and rejected by the reviewer."""
    claim = make_claim(resident, make_action(name_en="Tutoring children"), days_ago=3, quantity=2, note="Building 5")
    claims.reject(reviewer_user, claim, "Please add a photo")
    db.session.commit()
    return claim


def test_a_rejected_claim_is_sent_again_with_its_fields_filled_in(client, login, resident, rejected, page):
    login(resident)
    listed = page("/claims")[1]
    assert f'href="/claims/new?again={rejected.id}"' in listed and "Submit again" in listed
    day = rejected.occurred_on
    assert f"<dd>{day.day} {day:%b} {day.year}</dd>" in listed  # dates as "2 Dec 2026"
    status, form = page(f"/claims/new?again={rejected.id}")
    assert status == 200 and f'<option selected value="{rejected.action_type_id}">' in form
    assert f'value="{rejected.occurred_on.isoformat()}"' in form and 'value="2"' in form and "Building 5" in form
    assert "Photos are not copied: please choose them again." in form
    sent = client.post(f"/claims/new?again={rejected.id}", data={
        "action_type": rejected.action_type_id, "occurred_on": rejected.occurred_on.isoformat(), "quantity": 2,
        "note": "Building 5, photo added"})
    assert sent.status_code == 302
    statuses = db.session.execute(db.select(Claim.id, Claim.status).order_by(Claim.id)).all()
    assert statuses == [(rejected.id, ClaimStatus.REJECTED), (rejected.id + 1, ClaimStatus.PENDING)]


def test_a_day_now_too_long_ago_is_not_filled_in(app, client, login, resident, rejected, page):
    app.config["CLAIM_MAX_AGE_DAYS"] = 2
    login(resident)
    form = page(f"/claims/new?again={rejected.id}")[1]
    assert f'value="{claims.local_today().isoformat()}"' in form and "too long ago to claim now" in form


def test_only_a_rejected_claim_of_ones_own_is_sent_again(client, login, resident, make_user, make_claim, rejected,
                                                         page):
    pending = make_claim(resident)
    login(resident)
    status, text = page(f"/claims/new?again={pending.id}")
    assert status == 404 and "Only a rejected claim can be sent again." in text
    assert 'data-send-again' not in page("/claims")[1].split(f'id="claim-{pending.id}"')[1].split("</article>")[0]
    client.post("/logout")
    login(make_user(name="刘德华"))
    assert page(f"/claims/new?again={rejected.id}")[0] == 404
