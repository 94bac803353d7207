"""Separation of duties: nobody decides a claim they entered; an award under an action gives the
catalogue's points; a reviewer has a community. Through the API, the pages and the command line."""
import uuid

import pytest
from sqlalchemy import select

from points import ledger
from points.accounts.models import Role, User
from points.earning import claims
from points.earning.models import Claim, ClaimStatus
from points.extensions import db
from tests.earning.conftest import client, make_action  # noqa: F401 (pages in English; catalogue items)


@pytest.fixture
def action(make_action):
    """Cleaning a stairwell: 5 points a time."""
    return make_action(points=5, code="stairwell", name_zh="清扫楼道", name_en="Cleaning a stairwell")


@pytest.fixture
def resident(make_user):
    return make_user(name="张桂兰")


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER, name="赵敏")


def status_of(claim_id):
    db.session.expire_all()
    return db.session.get(Claim, claim_id).status


# ---- Nobody decides a claim they submitted ----

def test_a_reviewer_cannot_approve_a_claim_they_entered_for_a_resident(client, token_for, make_user, resident,
                                                                        reviewer, action):
    headers = token_for(reviewer)
    entered = client.post("/api/v1/claims", headers=headers, json={
        "user_id": resident.id, "action_type_id": action.id, "occurred_on": claims.local_today().isoformat()})
    assert entered.status_code == 201, entered.get_json()
    claim_id = entered.get_json()["id"]
    refused = client.post(f"/api/v1/claims/{claim_id}/approve", headers=headers)
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (403, "own_claim")
    assert status_of(claim_id) == ClaimStatus.PENDING and ledger.balance(resident.id).available == 0
    other = token_for(make_user(Role.REVIEWER, name="孙立"))
    assert client.post(f"/api/v1/claims/{claim_id}/approve", headers=other).status_code == 200
    assert ledger.balance(resident.id).available == 5


def test_nor_reject_it(client, token_for, resident, reviewer, action):
    claim = claims.submit(reviewer, resident, action.id, claims.local_today())
    db.session.commit()
    refused = client.post(f"/api/v1/claims/{claim.id}/reject", headers=token_for(reviewer), json={"reason": "不行"})
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (403, "own_claim")
    assert status_of(claim.id) == ClaimStatus.PENDING


def test_the_review_page_offers_no_decision_on_a_claim_one_entered(client, login, resident, reviewer, action):
    claim = claims.submit(reviewer, resident, action.id, claims.local_today())
    db.session.commit()
    login(reviewer)
    html = client.get("/review").get_data(as_text=True)
    assert "You submitted this claim: another reviewer or an admin decides it." in html
    assert f'name="approve_one" value="{claim.id}"' not in html
    response = client.post("/review/decide", data={"approve_one": claim.id}, follow_redirects=True)
    assert "Another reviewer must decide a claim you submitted." in response.get_data(as_text=True)
    assert status_of(claim.id) == ClaimStatus.PENDING and ledger.balance(resident.id).available == 0


# ---- An award under an action gives the catalogue's points × quantity ----

def award(client, headers, resident, points, **extra):
    return client.post("/api/v1/awards", headers=headers,
                       json={"user_id": resident.id, "points": points, "note": "", **extra})


def test_an_award_under_an_action_gives_its_points_times_the_quantity(client, token_for, resident, reviewer, action):
    headers = token_for(reviewer)
    refused = award(client, headers, resident, 50, action_type_id=action.id)
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (409, "points_not_catalogue")
    assert "points" in refused.get_json()["error"]["fields"]
    refused = award(client, headers, resident, 50, action_type_id=action.id, note="全年清扫")
    assert refused.status_code == 409, "a reviewer's reason does not change the catalogue"
    assert ledger.balance(resident.id).available == 0
    assert award(client, headers, resident, 15, action_type_id=action.id, quantity=3).status_code == 201
    assert ledger.balance(resident.id).available == 15


def test_an_admin_gives_other_points_only_with_a_reason_which_is_kept(client, token_for, make_user, resident, action):
    headers = token_for(make_user(Role.ADMIN, name="王建国"))
    refused = award(client, headers, resident, 12, action_type_id=action.id)
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (409, "points_not_catalogue")
    given = award(client, headers, resident, 12, action_type_id=action.id, note="雪天清扫，加倍")
    assert given.status_code == 201 and given.get_json()["balance"]["available"] == 12
    history = client.get("/api/v1/me/ledger", headers=token_for(resident)).get_json()["items"]
    assert [(line["change"], line["reason"]) for line in history] == [(12, "雪天清扫，加倍")]


@pytest.mark.parametrize("body, status", [
    ({"quantity": 0}, 422), ({"quantity": 2.5}, 422), ({"quantity": 101}, 422), ({"quantity": "2"}, 422),
    ({"quantity": 2, "action_type_id": None, "note": "帮扶邻居"}, 409),  # well formed, but a quantity of nothing
])
def test_a_bad_quantity_is_refused_and_gives_nothing(client, token_for, resident, reviewer, action, body, status):
    response = award(client, token_for(reviewer), resident, 10, **{"action_type_id": action.id, **body})
    assert response.status_code == status and "quantity" in response.get_json()["error"]["fields"]
    assert ledger.balance(resident.id).available == 0


def award_form(points, **fields):
    return {"direction": "award", "points": str(points), "note": "", "request_key": str(uuid.uuid4()), **fields}


def test_the_award_form_gives_the_catalogue_points_times_the_quantity(client, login, resident, reviewer, action):
    login(reviewer)
    page = f"/admin/residents/{resident.id}"
    assert 'name="quantity"' in client.get(page).get_data(as_text=True)
    refused = client.post(page, data=award_form(50, action_type=str(action.id)))
    assert refused.status_code == 409
    assert "“Cleaning a stairwell” is worth 5 points a time, so a quantity of 1 gives 5 points." in \
        refused.get_data(as_text=True)
    given = client.post(page, data=award_form(15, action_type=str(action.id), quantity="3"), follow_redirects=True)
    assert "15 points awarded to 张桂兰." in given.get_data(as_text=True)
    assert ledger.balance(resident.id).available == 15


# ---- A reviewer has a community ----

def test_the_command_refuses_a_reviewer_without_a_community(runner):
    result = runner.invoke(args=["user", "create", "--phone", "13812345678", "--name", "赵敏",
                                 "--password", "secret123", "--role", "reviewer"])
    assert result.exit_code != 0 and "审核员须属于一个社区" in result.output  # the command speaks Chinese
    assert db.session.execute(select(User)).first() is None


def test_the_admin_pages_refuse_a_reviewer_without_a_community(client, login, make_user):
    login(make_user(Role.ADMIN, name="王建国"))
    person = {"name": "赵敏", "phone": "13712345678", "password": "password1", "roles": ["reviewer"], "community": ""}
    response = client.post("/admin/users/new", data=person)
    assert response.status_code == 422
    assert "A reviewer needs a community: choose the one they review." in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.phone == "13712345678")) is None
    resident = make_user(community=None)
    response = client.post(f"/admin/users/{resident.id}", data={"roles": ["resident", "reviewer"], "community": ""})
    assert response.status_code == 422 and "A reviewer needs a community" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, resident.id).role_names == ["resident"]
