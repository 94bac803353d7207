"""The household page and API as a reviewer, a head, a member and an outsider use them."""
import uuid
import pytest

from points import ledger
from points.accounts.models import Role
from points.extensions import db
from points.households.models import Household


@pytest.fixture
def people(make_user):
    reviewer = make_user(Role.REVIEWER, name="审核员")
    head, son, neighbour = (make_user(name=name) for name in ("张桂兰", "李明", "王芳"))
    for person, points in ((head, 120), (son, 15)):
        ledger.award(person.id, points, f"seed:{person.id}")
    db.session.commit()
    return reviewer, head, son, neighbour


def form_household(client, login, reviewer, head, son):
    login(reviewer)
    response = client.post(f"/households/new/{head.id}", data={"number": "锦湖3-1-201"})
    assert response.status_code == 302
    household = db.session.query(Household).one()
    response = client.post(f"/households/{household.id}/members", data={"phone": son.phone})
    assert response.status_code == 302
    client.post("/logout")
    return household


def test_a_reviewer_forms_a_household_and_the_head_sees_every_balance(client, login, people):
    reviewer, head, son, _ = people
    login(reviewer)
    assert "组建家庭" in client.get(f"/admin/residents/{head.id}").get_data(as_text=True)
    household = form_household(client, login, reviewer, head, son)
    login(head)
    page = client.get(f"/households/{household.id}").get_data(as_text=True)
    assert "锦湖3-1-201" in page and "户主" in page
    assert "120 积分" in page and "15 积分" in page
    assert "我的家庭" in client.get("/").get_data(as_text=True)


def test_a_member_who_is_not_the_head_sees_the_names_but_no_balances(client, login, people):
    reviewer, head, son, _ = people
    household = form_household(client, login, reviewer, head, son)
    login(son)
    page = client.get(f"/households/{household.id}").get_data(as_text=True)
    assert "张桂兰" in page and "120 积分" not in page


def test_an_outsider_gets_the_same_404_as_for_no_household(client, login, people):
    reviewer, head, son, neighbour = people
    household = form_household(client, login, reviewer, head, son)
    login(neighbour)
    assert client.get(f"/households/{household.id}").status_code == 404
    assert client.get("/households/999999").status_code == 404


def test_a_member_passes_points_on_the_page_and_reads_what_is_left_this_month(client, login, people):
    reviewer, head, son, _ = people
    household = form_household(client, login, reviewer, head, son)
    login(head)
    key = str(uuid.uuid4())
    response = client.post(f"/households/{household.id}/pass", data={"receiver": son.id, "points": 20, "request_key": key})
    assert response.status_code == 302
    client.post(f"/households/{household.id}/pass", data={"receiver": son.id, "points": 20, "request_key": key})
    page = client.get(f"/households/{household.id}").get_data(as_text=True)
    assert "已将 20 积分转给李明。" in page
    assert "本月你还可转出 180 积分" in page
    assert (ledger.balance(head.id).available, ledger.balance(son.id).available) == (100, 35)


def test_passing_too_much_keeps_the_form_and_says_why(client, login, people):
    reviewer, head, son, _ = people
    household = form_household(client, login, reviewer, head, son)
    login(son)
    response = client.post(f"/households/{household.id}/pass",
                           data={"receiver": head.id, "points": 16, "request_key": str(uuid.uuid4())})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "可用积分不足" in page and 'value="16"' in page
    assert ledger.balance(son.id).available == 15


def test_the_reviewer_prints_a_household_card(client, login, people):
    reviewer, head, son, _ = people
    household = form_household(client, login, reviewer, head, son)
    login(reviewer)
    client.post(f"/households/{household.id}/card")
    page = client.get(f"/households/{household.id}/card").get_data(as_text=True)
    assert "家庭卡" in page and "张桂兰" in page
    assert client.get(f"/households/{household.id}/card/qr.svg").mimetype == "image/svg+xml"


def test_the_api_shows_the_household_and_passes_points(client, token_for, people, login):
    reviewer, head, son, neighbour = people
    form_household(client, login, reviewer, head, son)
    mine = client.get("/api/v1/me/household", headers=token_for(son)).get_json()
    assert [(m["name"], m["head"], m["balance"]) for m in mine["members"]] == [("张桂兰", True, None), ("李明", False, None)]
    headers = {**token_for(head), "Idempotency-Key": "pass-1"}
    answer = client.post("/api/v1/me/household/transfers", json={"to_user_id": son.id, "points": 5}, headers=headers)
    assert answer.status_code == 201 and answer.get_json()["balance"]["available"] == 115
    outside = client.post("/api/v1/me/household/transfers", json={"to_user_id": neighbour.id, "points": 5},
                          headers=token_for(head))
    assert (outside.status_code, outside.get_json()["error"]["code"]) == (409, "household_refused")
    assert client.get("/api/v1/me/household", headers=token_for(neighbour)).status_code == 404


def test_a_household_number_with_characters_that_cannot_be_used_is_refused_and_nothing_is_formed(
        client, login, people):
    reviewer, head, _, _ = people
    login(reviewer)
    response = client.post(f"/households/new/{head.id}", data={"number": "3-1\x00-201"}, follow_redirects=True)
    assert "无法使用的字符" in response.get_data(as_text=True)
    assert db.session.query(Household).count() == 0
