"""No surprises for a resident's claims: a decision waits on their home, a rejected claim can be sent again."""
import pytest

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
