"""No surprises on the staff side: rejecting several claims asks first, with the count."""
from points.earning.models import Claim, ClaimStatus
from points.extensions import db


def statuses(*claims):
    db.session.expire_all()
    return [db.session.get(Claim, c.id).status for c in claims]


def test_rejecting_ticked_claims_asks_first_with_the_count(client, make_user, make_claim, reviewer_user, login):
    first, second = (make_claim(make_user(name=name)) for name in ("张桂兰", "刘德华"))
    login(reviewer_user)
    queue = client.get("/review").get_data(as_text=True)
    assert 'name="ask" value="reject"' in queue
    asked = client.post("/review/decide", data={"ask": "reject", "claim_ids": [first.id, second.id],
                                                "reason": "照片看不清"})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Reject 2 claims?" in html and "The residents will read your reason." in html
    assert "张桂兰" in html and "刘德华" in html and 'value="照片看不清"' in html  # the reason is kept
    assert statuses(first, second) == [ClaimStatus.PENDING] * 2  # nothing is decided by asking
    client.post("/review/decide", data={"bulk": "reject", "claim_ids": [first.id, second.id],
                                        "reason": "照片看不清"})
    assert statuses(first, second) == [ClaimStatus.REJECTED] * 2


def test_asking_without_a_reason_or_a_tick_says_what_is_missing(client, make_user, make_claim, reviewer_user,
                                                                login):
    claim = make_claim(make_user(name="张桂兰"))
    login(reviewer_user)
    no_reason = client.post("/review/decide", data={"ask": "reject", "claim_ids": [claim.id], "reason": " "})
    assert no_reason.status_code == 422 and "Please give the resident a reason for rejecting." in no_reason.get_data(
        as_text=True)
    no_tick = client.post("/review/decide", data={"ask": "reject", "reason": "重复申报"})
    assert no_tick.status_code == 422 and "Please tick at least one claim." in no_tick.get_data(as_text=True)
    assert statuses(claim) == [ClaimStatus.PENDING]
