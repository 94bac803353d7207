"""The review queue: community-scoped, photo previews, one or many decisions, who decided and when."""
import pytest

from points import ledger
from points.accounts.models import Role
from points.earning import claims
from points.earning.models import Claim, ClaimStatus
from points.extensions import db
from tests.earning.helpers import image_bytes, upload


def status_of(claim):
    db.session.expire_all()
    return db.session.get(Claim, claim.id).status


def test_the_queue_shows_only_the_reviewers_community(client, make_user, make_claim, reviewer_user, login, page):
    make_claim(make_user(name="张桂兰"), photos=[upload(image_bytes())])
    make_claim(make_user(name="陈淑芬", community="午山社区"))
    login(reviewer_user)
    html = page("/review")[1]
    assert "张桂兰" in html and "陈淑芬" not in html
    assert "/photos/" in html and "<img" in html  # the photo is previewed
    assert 'type="checkbox" name="claim_ids"' in html


def test_approve_one_from_the_queue(client, resident, make_claim, reviewer_user, login, page):
    claim = make_claim(resident, quantity=2)
    login(reviewer_user)
    response = client.post("/review/decide", data={"approve_one": claim.id}, follow_redirects=True)
    assert "1 claim approved." in response.get_data(as_text=True)
    assert ledger.balance(resident.id).available == 6
    html = page("/review?status=approved")[1]
    assert "Decided by" in html and "赵敏" in html and "<time" in html


def test_reject_one_with_its_own_reason(client, resident, make_claim, reviewer_user, login):
    claim = make_claim(resident)
    login(reviewer_user)
    response = client.post("/review/decide", data={"reject_one": claim.id, f"reason_{claim.id}": "重复申报"},
                           follow_redirects=True)
    assert "1 claim rejected." in response.get_data(as_text=True)
    assert db.session.get(Claim, claim.id).decision_reason == "重复申报"


def test_rejecting_without_a_reason_is_refused(client, resident, make_claim, reviewer_user, login):
    claim = make_claim(resident)
    login(reviewer_user)
    response = client.post("/review/decide", data={"reject_one": claim.id, f"reason_{claim.id}": " "})
    assert response.status_code == 422
    assert "Please give the resident a reason for rejecting." in response.get_data(as_text=True)
    assert status_of(claim) == ClaimStatus.PENDING


def test_bulk_approve_and_bulk_reject(client, make_user, make_claim, reviewer_user, login):
    people = [make_user(name=name) for name in ("张桂兰", "刘德华", "王芳")]
    first, second, third = (make_claim(person) for person in people)
    login(reviewer_user)
    response = client.post("/review/decide", data={"bulk": "approve", "claim_ids": [first.id, second.id]},
                           follow_redirects=True)
    assert "2 claims approved." in response.get_data(as_text=True)
    assert [ledger.balance(p.id).available for p in people] == [3, 3, 0]
    assert client.post("/review/decide", data={"bulk": "reject", "claim_ids": [third.id]}).status_code == 422
    client.post("/review/decide", data={"bulk": "reject", "claim_ids": [third.id], "reason": "活动未开展"})
    assert status_of(third) == ClaimStatus.REJECTED


def test_bulk_decisions_stand_alone_when_one_fails(client, make_user, resident, make_action, make_claim,
                                                    reviewer_user, login):
    if claims.local_today().day < 2:
        pytest.skip("needs two days of the same month up to today")
    capped = make_action(points=5, monthly_cap=5)
    done_before, over_cap = make_claim(resident, capped, days_ago=1), make_claim(resident, capped)
    fine = make_claim(make_user(name="刘德华"))
    claims.approve(make_user(Role.ADMIN), done_before)
    db.session.commit()
    login(reviewer_user)
    response = client.post("/review/decide", data={"bulk": "approve", "claim_ids": [over_cap.id, fine.id]},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "1 claim approved." in html and f"Claim {over_cap.id}: Monthly cap reached" in html
    assert (status_of(over_cap), status_of(fine)) == (ClaimStatus.PENDING, ClaimStatus.APPROVED)
    assert ledger.balance(resident.id).available == 5


def test_another_communitys_claims_cannot_be_decided_from_the_page(client, make_user, make_claim, reviewer_user,
                                                                     login):
    elsewhere = make_claim(make_user(name="陈淑芬", community="午山社区"))
    login(reviewer_user)
    response = client.post("/review/decide", data={"approve_one": elsewhere.id}, follow_redirects=True)
    assert f"Claim {elsewhere.id}: No such claim." in response.get_data(as_text=True)
    assert status_of(elsewhere) == ClaimStatus.PENDING


def test_a_reviewer_cannot_decide_their_own_claim(client, make_user, make_claim, login, page):
    reviewer = make_user(Role.REVIEWER | Role.RESIDENT, name="赵敏")
    own = make_claim(reviewer)
    login(reviewer)
    assert "This is your own claim" in page("/review")[1]
    client.post("/review/decide", data={"approve_one": own.id})
    assert status_of(own) == ClaimStatus.PENDING


def test_deciding_twice_posts_once(client, resident, make_claim, reviewer_user, login):
    claim = make_claim(resident)
    login(reviewer_user)
    client.post("/review/decide", data={"approve_one": claim.id})
    response = client.post("/review/decide", data={"approve_one": claim.id}, follow_redirects=True)
    assert "already been decided" in response.get_data(as_text=True)
    assert ledger.balance(resident.id).available == 3


def test_residents_and_staff_have_no_queue(client, make_user, resident, login):
    login(resident)
    assert client.get("/review").status_code == 403
    assert client.post("/review/decide", data={"bulk": "approve", "claim_ids": [1]}).status_code == 403


def test_garbage_in_the_decision_form_is_a_clear_refusal(client, reviewer_user, login):
    login(reviewer_user)
    assert client.post("/review/decide", data={"bulk": "maybe"}).status_code == 422
    assert client.post("/review/decide", data={"bulk": "approve", "claim_ids": ["x", "9" * 30]}).status_code == 422
    response = client.post("/review/decide", data={"approve_one": "9" * 30}, follow_redirects=True)
    assert response.status_code == 200 and "No such claim." in response.get_data(as_text=True)
