"""Requests found to answer 500 by probing a running server: each now gets a clear answer."""
import re
from datetime import date

import pytest

from points import create_app, ledger
from points.accounts.models import Role
from points.extensions import db
from tests.conftest import TEST_CONFIG

DEEP = "[" * 100_000 + "]" * 100_000
TIME = re.compile(r'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)([^"]*)"')


@pytest.fixture
def everyone(make_user, token_for):
    return token_for(make_user(Role.ADMIN | Role.REVIEWER | Role.STAFF | Role.RESIDENT))


def test_json_nested_too_deeply_is_a_bad_request_on_every_endpoint(app, client, everyone):
    posts = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods and rule.rule.startswith("/api/")]
    assert len(posts) > 15
    for rule in posts:
        url = re.sub(r"<[^>]+>", "1", rule.rule)
        response = client.post(url, data=DEEP, content_type="application/json", headers=everyone)
        assert response.status_code in (400, 404, 422), (url, response.status_code)
        assert "error" in response.get_json()


def test_a_deep_body_on_the_door_scanner_is_a_bad_request(client, make_user, login):
    login(make_user(Role.STAFF))
    response = client.post("/scan/check", data=DEEP, content_type="application/json")
    assert response.status_code in (400, 422)


@pytest.mark.parametrize("target", ["/%0D%0ASet-Cookie:x=1", "/%0ASet-Cookie:x=1", "/\t/evil.example", "/%00"])
def test_a_next_that_is_not_a_plain_path_leads_home(client, make_user, target):
    user = make_user()
    response = client.post(f"/login?next={target}", data={"phone": user.phone, "password": "password1"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "x=1" not in str(response.headers)


def test_the_language_switch_refuses_a_header_splitting_next(client):
    response = client.post("/lang/en", data={"next": "/\r\nSet-Cookie: x=1"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("url", ["postgresql+psycopg://nobody@127.0.0.1:9/points?connect_timeout=2",
                                 "sqlite:////nonexistent-folder/points.sqlite3"])
def test_a_database_that_is_down_answers_503_with_retry_after(url):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    client = app.test_client()
    api = client.get("/api/v1/me", headers={"Authorization": "Bearer some-token"})
    assert api.status_code == 503 and api.headers["Retry-After"].isdigit()
    assert api.get_json()["error"]["code"] == "unavailable"
    page = client.post("/login", data={"phone": "13900000001", "password": "password1"})
    assert page.status_code == 503 and "Retry-After" in page.headers
    assert client.get("/healthz").status_code == 503


@pytest.mark.parametrize("body, field", [
    ({"quantity": 2.5}, "quantity"), ({"quantity": "2.5"}, "quantity"), ({"action_type_id": 1.5}, "action_type_id"),
])
def test_a_fraction_is_refused_not_cut_to_a_whole_number(client, everyone, body, field):
    response = client.post("/api/v1/claims", json={"occurred_on": date.today().isoformat(), **body},
                           headers=everyone)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]


def test_a_whole_number_written_with_a_fraction_point_is_still_whole(client, everyone):
    response = client.get("/api/v1/me/ledger?limit=2.5", headers=everyone)
    assert response.status_code == 422 and "limit" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("body, field, message", [
    ({"capacity": 0}, "capacity", "请输入 1 到 1000 之间的数。"),
    ({"starts_at": "tomorrow"}, "starts_at", "请按 2026-12-01T19:00:00+08:00 这样的格式填写日期和时间。"),
    ({"cost": True}, "cost", "请输入整数。"),
])
def test_the_schemas_say_what_is_wrong_in_chinese(client, everyone, body, field, message):
    response = client.post("/api/v1/sessions", json=body, headers={**everyone, "Accept-Language": "zh-CN"})
    assert response.get_json()["error"]["fields"][field] == [message]


def test_every_time_in_the_api_carries_its_offset(client, everyone, make_user):
    resident = make_user()
    ledger.award(resident.id, 5, "offset-test", ledger.Memo(reason="测试"))
    db.session.commit()
    client.post("/api/v1/awards", json={"user_id": resident.id, "points": 80, "note": "四眼"}, headers=everyone)
    resident_headers = client.post("/api/v1/auth/token", json={"phone": resident.phone, "password": "password1"})
    mine = {"Authorization": f"Bearer {resident_headers.get_json()['token']}"}
    claim = client.post("/api/v1/claims", headers=mine, json={"action_type_id": _action(), "note": "扫楼道",
                                                              "occurred_on": date.today().isoformat()})
    assert claim.status_code == 201, claim.get_json()
    seen = []
    for url, headers in [("/api/v1/me/ledger", mine), ("/api/v1/claims", mine), ("/api/v1/award-requests", everyone)]:
        for moment, offset in TIME.findall(client.get(url, headers=headers).get_data(as_text=True)):
            assert re.fullmatch(r"Z|[+-]\d\d:\d\d", offset), (url, moment, offset)
            seen.append(url)
    assert set(seen) == {"/api/v1/me/ledger", "/api/v1/claims", "/api/v1/award-requests"}


def _action():
    from points.earning.models import ActionType

    action = ActionType(code="stairs", name_zh="扫楼道", name_en="Stairs", category="environment", points=3)
    db.session.add(action)
    db.session.commit()
    return action.id


def test_a_participant_naming_nobody_is_refused_as_the_document_says(client, everyone):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {tuple(one["required"]) for one in spec["components"]["schemas"]["ParticipantIn"]["anyOf"]} == {
        ("member_code",), ("phone",)}
    for body in ({}, {"member_code": None, "phone": None}, {"member_code": ""}):
        response = client.post("/api/v1/activities/1/participants", json=body, headers=everyone)
        assert response.status_code == 422 and "member_code" in response.get_json()["error"]["fields"]
