"""POST /api/v1/awards and the four-eyes queue, as a reviewer or admin uses them."""
import pytest

from points import ledger
from points.accounts.models import Role

AWARD = "/api/v1/awards"


@pytest.fixture
def resident(make_user):
    return make_user(name="张桂兰")


def award(client, headers, resident, points, **extra):
    return client.post(AWARD, headers=headers, json={"user_id": resident.id, "points": points,
                                                     "note": "清扫楼道", **extra})


def test_reviewer_awards_a_resident_of_their_community(client, make_user, token_for, resident):
    reviewer = make_user(Role.REVIEWER)
    response = award(client, token_for(reviewer), resident, 5)
    assert response.status_code == 201
    assert response.get_json()["balance"] == {"available": 5, "held": 0, "earned_total": 5}


def test_reviewer_cannot_award_another_community(client, make_user, token_for, resident):
    reviewer = make_user(Role.REVIEWER, community="午山社区")
    response = award(client, token_for(reviewer), resident, 5)
    assert (response.status_code, response.get_json()["error"]["code"]) == (404, "not_found")
    assert ledger.balance(resident.id).available == 0


def test_a_resident_cannot_award(client, make_user, token_for, resident):
    response = award(client, token_for(make_user()), resident, 5)
    assert response.status_code == 403


def test_deduction_takes_points_but_not_below_zero(client, make_user, token_for, resident):
    headers = token_for(make_user(Role.ADMIN))
    award(client, headers, resident, 8)
    assert award(client, headers, resident, -5).status_code == 201
    refused = award(client, headers, resident, -5)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "insufficient_points"
    assert ledger.balance(resident.id) == ledger.Balance(3, 0, 8)


@pytest.mark.parametrize("body, field, status", [
    ({"points": 0}, "points", 409),
    ({"points": 10_001}, "points", 422),
    ({"points": "5"}, "points", 422),
    ({"points": 5, "note": ""}, "note", 409),
])
def test_bad_award_bodies_are_refused_clearly(client, make_user, token_for, resident, body, field, status):
    response = client.post(AWARD, headers=token_for(make_user(Role.ADMIN)),
                           json={"user_id": resident.id, "note": "x", **body})
    assert response.status_code == status
    assert field in response.get_json()["error"]["fields"]
    assert ledger.balance(resident.id).available == 0


@pytest.mark.parametrize("body", [{"user_id": 4242}, {"action_type_id": 999}])
def test_award_naming_something_unknown_is_404(client, make_user, token_for, resident, body):
    response = client.post(AWARD, headers=token_for(make_user(Role.ADMIN)),
                           json={"user_id": resident.id, "points": 5, "note": "x", **body})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert ledger.balance(resident.id).available == 0


def test_nobody_awards_themselves(client, make_user, token_for):
    admin = make_user(Role.ADMIN | Role.RESIDENT)
    response = client.post(AWARD, headers=token_for(admin), json={"user_id": admin.id, "points": 5, "note": "x"})
    assert response.status_code == 403
    assert ledger.balance(admin.id).available == 0


def test_a_retried_large_award_makes_one_request(client, make_user, token_for, resident):
    headers = {**token_for(make_user(Role.ADMIN)), "Idempotency-Key": "big-1"}
    first = award(client, headers, resident, 80).get_json()
    assert award(client, headers, resident, 80).get_json() == first
    assert len(client.get("/api/v1/award-requests", headers=headers).get_json()) == 1


def test_large_award_waits_for_a_second_different_admin(client, make_user, token_for, resident):
    first, second = make_user(Role.ADMIN), make_user(Role.ADMIN)
    response = award(client, token_for(first), resident, 80)
    assert response.status_code == 202
    request_id = response.get_json()["request_id"]
    assert ledger.balance(resident.id).available == 0
    own = client.post(f"/api/v1/award-requests/{request_id}/approve", headers=token_for(first))
    assert own.status_code == 403
    assert own.get_json()["error"]["code"] == "four_eyes"
    approved = client.post(f"/api/v1/award-requests/{request_id}/approve", headers=token_for(second))
    assert approved.get_json()["status"] == "approved"
    assert ledger.balance(resident.id) == ledger.Balance(80, 0, 80)


def test_a_decided_request_cannot_be_approved_again(client, make_user, token_for, resident):
    first, second = make_user(Role.ADMIN), make_user(Role.ADMIN)
    request_id = award(client, token_for(first), resident, 80).get_json()["request_id"]
    url = f"/api/v1/award-requests/{request_id}/approve"
    client.post(url, headers=token_for(second))
    again = client.post(url, headers=token_for(second))
    assert again.status_code == 409
    assert ledger.balance(resident.id).available == 80


def test_refusal_needs_a_reason_and_posts_nothing(client, make_user, token_for, resident):
    first, second = make_user(Role.ADMIN), make_user(Role.ADMIN)
    request_id = award(client, token_for(first), resident, 80).get_json()["request_id"]
    url = f"/api/v1/award-requests/{request_id}/refuse"
    assert client.post(url, headers=token_for(second), json={"reason": ""}).status_code == 422
    refused = client.post(url, headers=token_for(second), json={"reason": "金额有误"})
    assert refused.get_json()["status"] == "refused"
    assert refused.get_json()["refusal_reason"] == "金额有误"
    assert ledger.balance(resident.id).available == 0


def test_the_queue_lists_pending_requests_to_admins_only(client, make_user, token_for, resident):
    admin = make_user(Role.ADMIN)
    award(client, token_for(admin), resident, 60)
    queue = client.get("/api/v1/award-requests", headers=token_for(admin)).get_json()
    assert [(r["user_id"], r["points"]) for r in queue] == [(resident.id, 60)]
    reviewer = make_user(Role.REVIEWER)
    assert client.get("/api/v1/award-requests", headers=token_for(reviewer)).status_code == 403


def test_retried_award_with_the_same_key_awards_once(client, make_user, token_for, resident):
    headers = {**token_for(make_user(Role.ADMIN)), "Idempotency-Key": "award-42"}
    first = award(client, headers, resident, 5)
    retry = award(client, headers, resident, 5)
    assert retry.get_json() == first.get_json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    other = award(client, headers, resident, 6)
    assert other.status_code == 409
    assert other.get_json()["error"]["code"] == "idempotency_key_reused"
    assert ledger.balance(resident.id).available == 5
