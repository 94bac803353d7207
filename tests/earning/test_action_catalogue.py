"""The action catalogue: read by everyone signed in, changed by admins, through the API and pages."""
import pytest
from sqlalchemy import select

from points.accounts.models import Role
from points.earning.models import ActionType
from points.extensions import db

TYPES = "/api/v1/action-types"
NEW = {"code": "stairwell_clean", "name_zh": "清扫楼道", "name_en": "Cleaning a stairwell", "category": "environment",
       "points": 3, "unit": "time", "daily_cap": 6, "monthly_cap": None, "evidence_required": True,
       "self_claimable": True}


def test_admin_adds_an_action_with_the_spec_fields(client, make_user, token_for):
    response = client.post(TYPES, headers=token_for(make_user(Role.ADMIN)), json=NEW)
    assert response.status_code == 201
    created = response.get_json()
    assert created["id"] and created["monthly_cap"] is None and created["daily_cap"] == 6
    action = db.session.get(ActionType, created["id"])
    assert (action.code, action.points, action.evidence_required, action.active) == ("stairwell_clean", 3, True, True)


def test_a_deduction_item_is_never_self_claimable(client, make_user, token_for):
    headers = token_for(make_user(Role.ADMIN))
    deduction = {**NEW, "code": "litter", "points": -5, "category": "deduction"}
    refused = client.post(TYPES, headers=headers, json=deduction)
    assert refused.status_code == 409 and "self_claimable" in refused.get_json()["error"]["fields"]
    del deduction["self_claimable"]
    created = client.post(TYPES, headers=headers, json=deduction).get_json()
    assert (created["points"], created["self_claimable"], created["is_deduction"]) == (-5, False, True)


@pytest.mark.parametrize("change, field, status", [
    ({"points": 0}, "points", 422), ({"points": 1001}, "points", 422), ({"daily_cap": 0}, "daily_cap", 422),
    ({"daily_cap": 10, "monthly_cap": 5}, "daily_cap", 409), ({"category": "sport"}, "category", 422),
    ({"unit": "day"}, "unit", 422), ({"code": "Has Spaces"}, "code", 422), ({"name_zh": " "}, "name_zh", 422),
    ({"name_en": "a\x00b"}, "name_en", 422), ({"points": "3"}, "points", 422),
])
def test_bad_actions_are_refused_clearly(client, make_user, token_for, change, field, status):
    response = client.post(TYPES, headers=token_for(make_user(Role.ADMIN)), json={**NEW, **change})
    assert response.status_code == status
    assert field in response.get_json()["error"]["fields"]
    assert db.session.scalars(select(ActionType)).first() is None


def test_a_code_is_used_once(client, make_user, token_for):
    headers = token_for(make_user(Role.ADMIN))
    client.post(TYPES, headers=headers, json=NEW)
    again = client.post(TYPES, headers=headers, json=NEW)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "code_taken"


@pytest.mark.parametrize("roles", [Role.RESIDENT, Role.REVIEWER, Role.STAFF])
def test_only_admins_add_actions(client, make_user, token_for, roles):
    assert client.post(TYPES, headers=token_for(make_user(roles)), json=NEW).status_code == 403


def test_residents_see_active_actions_self_claimable_first(client, make_user, token_for, make_action):
    organised = make_action(points=8, self_claimable=False)
    claimable = make_action(points=3)
    make_action(points=-5)
    make_action(points=2, active=False)
    listed = client.get(TYPES, headers=token_for(make_user())).get_json()
    assert [a["id"] for a in listed[:2]] == [claimable.id, organised.id]
    assert all(a["active"] for a in listed) and len(listed) == 3
    everything = client.get(TYPES, headers=token_for(make_user(Role.ADMIN))).get_json()
    assert len(everything) == 4
    assert client.get(TYPES).status_code == 401


@pytest.mark.parametrize("language, name", [("zh-CN", "清扫楼道"), ("en", "Cleaning a stairwell")])
def test_names_come_in_the_readers_language(app, make_user, make_action, language, name):
    make_action(name_zh="清扫楼道", name_en="Cleaning a stairwell")
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"phone": make_user().phone, "password": "password1"})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}", "Accept-Language": language}
    assert client.get(TYPES, headers=headers).get_json()[0]["name"] == name


def test_admin_pages_list_add_edit_and_retire(client, make_user, login, page, make_action):
    login(make_user(Role.ADMIN))
    form = {**NEW, "monthly_cap": "", "evidence_required": "y", "self_claimable": "y"}
    response = client.post("/admin/actions/new", data=form, follow_redirects=True)
    assert "added to the catalogue" in response.get_data(as_text=True)
    action = db.session.scalars(select(ActionType)).one()
    assert (action.daily_cap, action.monthly_cap, action.evidence_required) == (6, None, True)
    client.post(f"/admin/actions/{action.id}", data={**form, "points": "4", "daily_cap": ""})
    db.session.refresh(action)
    assert (action.points, action.daily_cap) == (4, None)
    client.post(f"/admin/actions/{action.id}/active", data={"active": "0"})
    db.session.refresh(action)
    assert not action.active
    html = page("/admin/actions")[1]
    assert "Retired" in html and "Use again" in html


def test_the_admin_form_explains_refusals(client, make_user, login, make_action):
    make_action(code="litter")
    login(make_user(Role.ADMIN))
    form = {**NEW, "code": "litter", "monthly_cap": "", "self_claimable": "y", "points": "-5"}
    response = client.post("/admin/actions/new", data=form)
    assert response.status_code == 409
    assert "A deduction item cannot be claimed by residents." in response.get_data(as_text=True)
    del form["self_claimable"]
    response = client.post("/admin/actions/new", data=form)
    assert response.status_code == 409
    assert "already used by another action" in response.get_data(as_text=True)


def test_a_retired_action_leaves_the_claim_form(client, resident, login, page, make_action):
    kept, retired = make_action(name_en="Kept action"), make_action(name_en="Retired action", active=False)
    login(resident)
    html = page("/claims/new")[1]
    assert kept.name_en in html and retired.name_en not in html


def test_reviewers_cannot_open_the_catalogue_pages(client, make_user, login, make_action):
    action = make_action()
    login(make_user(Role.REVIEWER))
    for path in ("/admin/actions", "/admin/actions/new", f"/admin/actions/{action.id}"):
        assert client.get(path).status_code == 403
    assert client.post(f"/admin/actions/{action.id}/active", data={"active": "0"}).status_code == 403
