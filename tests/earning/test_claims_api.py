"""Claims through the API: submitting, the rules on days and duplicates, scoping, deciding once."""
from datetime import timedelta

import pytest

from points import ledger
from points.accounts.models import Role
from points.earning import caps, claims
from points.earning.models import Claim, ClaimStatus
from points.extensions import db
from tests.earning.helpers import rows

CLAIMS = "/api/v1/claims"


def body(action, days_ago=0, **extra):
    day = claims.local_today() - timedelta(days=days_ago)
    return {"action_type_id": action.id, "occurred_on": day.isoformat(), "quantity": 1, "note": "3号楼", **extra}


def test_resident_claims_and_it_waits_for_review(client, token_for, resident, make_action):
    action = make_action(points=3)
    response = client.post(CLAIMS, headers=token_for(resident), json=body(action, quantity=2))
    assert response.status_code == 201
    claim = response.get_json()
    assert (claim["status"], claim["points"], claim["submitted_by"]) == ("pending", 6, resident.id)
    assert ledger.balance(resident.id).available == 0


@pytest.mark.parametrize("days_ago, code", [(-1, "date_in_future"), (31, "date_too_old")])
def test_future_and_too_old_days_are_refused(client, token_for, resident, make_action, days_ago, code):
    response = client.post(CLAIMS, headers=token_for(resident), json=body(make_action(), days_ago))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == code
    assert "occurred_on" in response.get_json()["error"]["fields"]
    assert rows() == (0, 0)


def test_the_oldest_day_allowed_is_configurable(app, client, token_for, resident, make_action):
    app.config["CLAIM_MAX_AGE_DAYS"] = 7
    action = make_action()
    assert client.post(CLAIMS, headers=token_for(resident), json=body(action, 7)).status_code == 201
    assert client.post(CLAIMS, headers=token_for(resident), json=body(action, 8)).status_code == 409


def test_the_same_action_on_the_same_day_is_claimed_once(client, token_for, resident, make_action):
    headers, action = token_for(resident), make_action()
    assert client.post(CLAIMS, headers=headers, json=body(action)).status_code == 201
    again = client.post(CLAIMS, headers=headers, json=body(action))
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "duplicate_claim"
    assert client.post(CLAIMS, headers=headers, json=body(action, 1)).status_code == 201


def test_a_withdrawn_claim_can_be_made_again(client, token_for, resident, make_action):
    headers, action = token_for(resident), make_action()
    first = client.post(CLAIMS, headers=headers, json=body(action)).get_json()
    assert client.post(f"{CLAIMS}/{first['id']}/withdraw", headers=headers).get_json()["status"] == "withdrawn"
    assert client.post(CLAIMS, headers=headers, json=body(action)).status_code == 201


def test_evidence_is_required_when_the_action_says_so(client, token_for, resident, make_action):
    response = client.post(CLAIMS, headers=token_for(resident), json=body(make_action(evidence_required=True)))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "evidence_required"
    assert rows() == (0, 0)


@pytest.mark.parametrize("fields", [{"self_claimable": False}, {"active": False}, {"points": -5}])
def test_organiser_only_retired_and_deduction_items_cannot_be_claimed(client, token_for, resident, make_action,
                                                                       fields):
    action = make_action(**{"points": 3, **fields})
    response = client.post(CLAIMS, headers=token_for(resident), json=body(action))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "not_claimable"
    assert "action_type_id" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("change, field", [
    ({"quantity": 0}, "quantity"), ({"quantity": 25}, "quantity"), ({"occurred_on": "yesterday"}, "occurred_on"),
    ({"note": "x" * 501}, "note"), ({"note": "a\x00b"}, "note"), ({"user_id": None}, "user_id"),
])
def test_bad_claim_bodies_are_refused_clearly(client, token_for, resident, make_action, change, field):
    response = client.post(CLAIMS, headers=token_for(resident), json=body(make_action(), **change))
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_an_unknown_action_is_not_found(client, token_for, resident, make_action):
    response = client.post(CLAIMS, headers=token_for(resident), json=body(make_action(), action_type_id=99999))
    assert response.status_code == 404 and "action_type_id" in response.get_json()["error"]["fields"]


def test_a_claim_above_the_four_eyes_threshold_is_refused(client, token_for, resident, make_action):
    response = client.post(CLAIMS, headers=token_for(resident), json=body(make_action(points=30), quantity=2))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "claim_too_large"


def test_listing_is_scoped(client, token_for, make_user, make_claim):
    mine, neighbour = make_user(name="张桂兰"), make_user(name="刘德华")
    elsewhere = make_user(name="陈淑芬", community="午山社区")
    for person in (mine, neighbour, elsewhere):
        make_claim(person)

    def ids(user):
        return {item["user_id"] for item in client.get(CLAIMS, headers=token_for(user)).get_json()["items"]}

    assert ids(mine) == {mine.id}
    assert ids(make_user(Role.REVIEWER)) == {mine.id, neighbour.id}
    assert ids(make_user(Role.ADMIN)) == {mine.id, neighbour.id, elsewhere.id}


def test_listing_filters_by_status_and_pages(client, token_for, resident, make_claim, make_action):
    for days_ago in range(3):
        make_claim(resident, days_ago=days_ago)
    claims.withdraw(resident, db.session.get(Claim, 1))
    db.session.commit()
    headers = token_for(resident)
    assert [c["id"] for c in client.get(f"{CLAIMS}?status=withdrawn", headers=headers).get_json()["items"]] == [1]
    page = client.get(f"{CLAIMS}?limit=2", headers=headers).get_json()
    rest = client.get(f"{CLAIMS}?limit=2&cursor={page['next_cursor']}", headers=headers).get_json()
    assert [c["id"] for c in page["items"] + rest["items"]] == [3, 2, 1]
    assert client.get(f"{CLAIMS}?status=lost", headers=headers).status_code == 422


def test_approval_posts_the_award_once(client, token_for, resident, make_claim, reviewer_user):
    claim = make_claim(resident, quantity=2)
    headers = token_for(reviewer_user)
    approved = client.post(f"{CLAIMS}/{claim.id}/approve", headers=headers)
    assert approved.status_code == 200
    decided = approved.get_json()
    assert decided["status"] == "approved" and decided["decided_by"] and decided["decided_at"]
    again = client.post(f"{CLAIMS}/{claim.id}/approve", headers=headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_decided"
    assert ledger.balance(resident.id) == ledger.Balance(6, 0, 6)
    line = ledger.history(resident.id)[0].transfer
    assert (line.ref_type, line.ref_id, line.idempotency_key) == ("claim", claim.id, f"claim:{claim.id}:award")


def test_a_retried_approval_with_the_same_key_gets_the_same_answer(client, token_for, resident, make_claim,
                                                                   reviewer_user):
    claim = make_claim(resident)
    headers = {**token_for(reviewer_user), "Idempotency-Key": "approve-1"}
    first = client.post(f"{CLAIMS}/{claim.id}/approve", headers=headers)
    second = client.post(f"{CLAIMS}/{claim.id}/approve", headers=headers)
    assert second.status_code == 200 and second.headers["Idempotent-Replayed"] == "true"
    assert first.get_json() == second.get_json()
    assert ledger.balance(resident.id).available == 3


def test_rejection_needs_a_reason_that_the_resident_then_reads(client, token_for, resident, make_claim, reviewer_user):
    claim = make_claim(resident)
    headers = token_for(reviewer_user)
    assert client.post(f"{CLAIMS}/{claim.id}/reject", headers=headers, json={"reason": ""}).status_code == 422
    rejected = client.post(f"{CLAIMS}/{claim.id}/reject", headers=headers, json={"reason": "照片看不清"})
    assert rejected.status_code == 200
    seen = client.get(f"{CLAIMS}/{claim.id}", headers=token_for(resident)).get_json()
    assert (seen["status"], seen["decision_reason"]) == ("rejected", "照片看不清")
    assert client.post(f"{CLAIMS}/{claim.id}/approve", headers=headers).status_code == 409
    assert ledger.balance(resident.id).available == 0


def test_another_communitys_reviewer_neither_sees_nor_decides(client, token_for, make_user, resident, make_claim):
    claim = make_claim(resident)
    outsider = token_for(make_user(Role.REVIEWER, community="午山社区"))
    for method, path in [("get", ""), ("post", "/approve"), ("post", "/withdraw")]:
        response = getattr(client, method)(f"{CLAIMS}/{claim.id}{path}", headers=outsider)
        assert response.status_code == 404, path
    rejected = client.post(f"{CLAIMS}/{claim.id}/reject", headers=outsider, json={"reason": "不行"})
    assert rejected.status_code == 404
    assert client.get(CLAIMS, headers=outsider).get_json()["items"] == []
    assert db.session.get(Claim, claim.id).status == ClaimStatus.PENDING


def test_residents_cannot_decide_and_reviewers_not_their_own(client, token_for, make_user, resident, make_claim):
    claim = make_claim(resident)
    assert client.post(f"{CLAIMS}/{claim.id}/approve", headers=token_for(resident)).status_code == 403
    reviewing_resident = make_user(Role.REVIEWER | Role.RESIDENT, name="赵敏")
    own = make_claim(reviewing_resident)
    response = client.post(f"{CLAIMS}/{own.id}/approve", headers=token_for(reviewing_resident))
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "own_claim"
    assert ledger.balance(reviewing_resident.id).available == 0


def test_only_a_pending_claim_can_be_withdrawn(client, token_for, resident, make_claim, reviewer_user):
    claim = make_claim(resident)
    headers = token_for(resident)
    client.post(f"{CLAIMS}/{claim.id}/approve", headers=token_for(reviewer_user))
    response = client.post(f"{CLAIMS}/{claim.id}/withdraw", headers=headers)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "already_decided"


def test_the_daily_cap_is_checked_when_approving(client, token_for, resident, make_action, make_claim, reviewer_user):
    action = make_action(points=4, daily_cap=10)
    claim = make_claim(resident, action, quantity=2)
    caps.take(resident.id, action, claims.local_today(), 4)  # an activity earlier that day, say
    db.session.commit()
    response = client.post(f"{CLAIMS}/{claim.id}/approve", headers=token_for(reviewer_user))
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "daily_cap_reached" and "Daily cap reached" in error["message"]
    assert db.session.get(Claim, claim.id).status == ClaimStatus.PENDING
    assert ledger.balance(resident.id).available == 0


def test_the_monthly_cap_is_checked_when_approving(client, token_for, resident, make_action, make_claim, reviewer_user):
    today = claims.local_today()
    if today.day < 2:
        pytest.skip("needs two days of the same month before today")
    action = make_action(points=5, monthly_cap=5)
    first, second = make_claim(resident, action), make_claim(resident, action, days_ago=1)
    headers = token_for(reviewer_user)
    assert client.post(f"{CLAIMS}/{first.id}/approve", headers=headers).status_code == 200
    response = client.post(f"{CLAIMS}/{second.id}/approve", headers=headers)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "monthly_cap_reached"
    assert ledger.balance(resident.id).available == 5


def test_a_claim_past_the_cap_left_is_refused_when_made(client, token_for, resident, make_action):
    action = make_action(points=4, daily_cap=6)
    response = client.post(CLAIMS, headers=token_for(resident), json=body(action, quantity=2))
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "cap_reached"


def test_a_reviewer_claims_for_a_resident_and_the_record_says_so(client, token_for, make_user, resident,
                                                                  make_action, reviewer_user):
    reviewer = reviewer_user
    response = client.post(CLAIMS, headers=token_for(reviewer), json=body(make_action(), user_id=resident.id))
    assert response.status_code == 201
    claim = response.get_json()
    assert (claim["user_id"], claim["submitted_by"]) == (resident.id, reviewer.id)
    outsider = make_user(Role.REVIEWER, community="午山社区")
    refused = client.post(CLAIMS, headers=token_for(outsider), json=body(make_action(), user_id=resident.id))
    assert refused.status_code == 404


def test_a_resident_cannot_claim_for_a_neighbour(client, token_for, make_user, resident, make_action):
    neighbour = make_user(name="刘德华")
    response = client.post(CLAIMS, headers=token_for(resident), json=body(make_action(), user_id=neighbour.id))
    assert response.status_code == 404
    assert rows() == (0, 0)

