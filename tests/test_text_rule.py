"""One text rule (points.text) for every form, API body, query and operation: nothing it refuses reaches
the database, every refusal says why in the reader's language, and a refused request changes nothing.

The fuzzing walks the OpenAPI document and the forms themselves, so a new field cannot slip past.
"""
import re
import uuid

import pytest
import sqlalchemy as sa
from wtforms import StringField
from wtforms.validators import UUID

from points import text
from points.accounts.models import Role, User
from points.extensions import db
from points.web.forms import TextRule

NUL, BIDI, SURROGATE = "a\x00b", "abc\u202edef", "a\ud800b"
REFUSED = [NUL, BIDI, SURROGATE, "a\x1bb", "a\u2028b"]
NASTY = [*REFUSED, " \u3000\u200b ", "王" * 6000]
FORM_NASTY = [value for value in NASTY if value != SURROGATE]  # a form's UTF-8 cannot carry one
# Fields a person types that are not free text: each has its own, stricter check (a malformed phone
# signing in gets the same 401 as a wrong password).
# A service record's period ("first", "last") is two days, read as days (points.records.operations).
NOT_FREE_TEXT = {"phone", "password", "password_again", "times", "code", "member_code", "request_key",
                 "first", "last"}
MESSAGE_ZH = "这段文字含有无法使用的字符，请重新输入。"


@pytest.mark.parametrize("value, cleaned", [
    ("  张桂兰\u3000", "张桂兰"), ("\u200b扫楼道\ufeff", "扫楼道"), ("Zhang Guilan", "Zhang Guilan"),
])
def test_a_line_is_trimmed_of_every_kind_of_blank(app, value, cleaned):
    assert text.line(value, most=50) == cleaned


@pytest.mark.parametrize("value", [*REFUSED, "two\nlines", "a\tb"])
def test_a_line_refuses_what_cannot_be_stored_or_shown(app, value):
    with pytest.raises(text.BadText):
        text.line(value, most=50)


def test_a_paragraph_keeps_its_line_breaks_as_newlines(app):
    assert text.paragraph(" 第一行\r\n第二行\r第三行\t结束 ", most=50) == "第一行\n第二行\n第三行\t结束"


@pytest.mark.parametrize("value", REFUSED)
def test_a_paragraph_refuses_controls_and_direction_marks(app, value):
    with pytest.raises(text.BadText):
        text.paragraph(value, most=50)


def test_blank_and_long_text_say_what_is_wrong(app):
    with pytest.raises(text.BadText, match="请填写此项"):
        text.line(" \u3000 ", most=5)
    with pytest.raises(text.BadText, match="不要超过 5 个字"):
        text.line("123456", most=5)
    assert text.line(" \u3000 ", most=5, required=False) == ""


# ---- the API -------------------------------------------------------------------------------------

@pytest.fixture
def everyone(make_user, token_for):
    """A signed-in person holding every role, so no door stops the body from being read."""
    return token_for(make_user(Role.ADMIN | Role.REVIEWER | Role.STAFF | Role.RESIDENT))


def _rows():
    """How many rows every table holds: a refused request must leave each count as it was."""
    return {table.name: db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            for table in db.metadata.sorted_tables}


def _request_bodies(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            content = operation.get("requestBody", {}).get("content", {})
            for media, body in content.items():
                schema = spec["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[1]]
                strings = [name for name, prop in schema["properties"].items()
                           if prop.get("type") == "string" and name not in NOT_FREE_TEXT]
                yield re.sub(r"\{[^}]+\}", "1", path), method, media, strings, schema


def test_every_text_field_of_every_api_body_is_checked_by_the_rule(app, client, everyone):
    spec = client.get("/api/v1/openapi.json").get_json()
    checked = 0
    for url, method, media, strings, schema in _request_bodies(spec):
        for field in strings:
            for value in NASTY if media == "application/json" else FORM_NASTY:
                before = _rows()
                sent = {"json": {field: value}} if media == "application/json" else {"data": {field: value}, "content_type": media}
                response = client.open(url, method=method.upper(), headers=everyone, **sent)
                db.session.rollback()
                assert response.status_code < 500, (url, field, value, response.get_json())
                assert _rows() == before, (url, field, value)
                if value in REFUSED:
                    body = response.get_json()
                    assert response.status_code == 422, (url, field, value, body)
                    assert field in body["error"]["fields"], (url, field, value, body)
                    checked += 1
    assert checked > 40  # the notes, reasons, names, titles, places, codes of every body


def test_the_document_says_what_text_each_field_takes(client):
    """Every free-text field of a request body documents the rule's pattern and length."""
    spec = client.get("/api/v1/openapi.json").get_json()
    for url, method, _media, strings, schema in _request_bodies(spec):
        for field in strings:
            prop = schema["properties"][field]
            if "enum" not in prop and "format" not in prop:
                assert "pattern" in prop, (url, method, field)


def test_a_refusal_from_the_rule_is_in_the_readers_language(client, everyone, make_user):
    resident = make_user()
    response = client.post("/api/v1/awards", headers={**everyone, "Accept-Language": "zh-CN"},
                           json={"user_id": resident.id, "points": 5, "note": NUL})
    assert response.get_json()["error"]["fields"]["note"] == [MESSAGE_ZH]


@pytest.mark.parametrize("url", ["/api/v1/claims?status=%00", "/api/v1/claims?cursor=1%002",
                                 "/api/v1/sessions?from=2026-12-01%00", "/api/v1/me/ledger?cursor=%00"])
def test_text_in_a_query_string_is_refused_not_a_server_error(client, everyone, url):
    assert client.get(url, headers=everyone).status_code == 422


# ---- the pages -----------------------------------------------------------------------------------

def _forms():
    from flask_wtf import FlaskForm

    found, waiting = [], [FlaskForm]
    while waiting:
        for form in waiting.pop().__subclasses__():
            found.append(form)
            waiting.append(form)
    return found




def test_every_free_text_field_of_every_form_goes_through_the_rule(app):
    seen = 0
    for form in _forms():
        for name, unbound in vars(form).items():
            if getattr(unbound, "field_class", None) is None or not issubclass(unbound.field_class, StringField):
                continue
            validators = unbound.kwargs.get("validators") or ()
            if name in NOT_FREE_TEXT or any(isinstance(v, UUID) for v in validators):
                continue
            assert any(isinstance(v, TextRule) for v in validators), f"{form.__name__}.{name}"
            seen += 1
    assert seen >= 12


@pytest.fixture
def world(make_user, login, client):
    """An office with one of everything a form can name, and someone signed in who may use every form."""
    from points.earning.models import ActionType
    from points.redemption import venues

    resident = make_user(name="张桂兰")
    venue = venues.create_venue("测试球馆", "table_tennis")
    action = ActionType(code="stairs", name_zh="扫楼道", name_en="Stairs", category="environment", points=3)
    db.session.add(action)
    db.session.commit()
    login(make_user(Role.ADMIN | Role.REVIEWER | Role.RESIDENT, name="王建国"))
    return {"resident": resident.id, "venue": venue.id}


FORM_POSTS = [
    ("/admin/residents/{resident}", ["note"], {"direction": "award", "points": "5"}),
    ("/admin/residents/{resident}", ["note"], {"direction": "award", "points": "80"}),  # four eyes
    ("/admin/users/new", ["name"], {"phone": "13912345678", "password": "password1", "roles": "resident"}),
    ("/review/residents/new", ["name"], {"phone": "13912345679"}),
    ("/claims/new", ["note"], {"quantity": "1"}),
    ("/admin/venues/new", ["name", "place", "rules"], {"kind": "table_tennis"}),
    ("/admin/venues/{venue}", ["name", "place", "rules"], {"kind": "table_tennis"}),
    ("/admin/venues/{venue}/offerings", ["new-name_zh", "new-name_en"], {"new-cost": "5"}),
    ("/admin/actions/new", ["name_zh", "name_en"], {"code": "fuzz", "category": "environment", "points": "3"}),
    ("/activities/new", ["title", "place"], {"starts_at": "2026-12-05T09:00", "points": "5"}),
]


@pytest.mark.parametrize("url, fields, rest", FORM_POSTS)
def test_every_form_refuses_bad_text_and_changes_nothing(client, world, url, fields, rest):
    for field in fields:
        for value in FORM_NASTY:
            before = _rows()
            response = client.post(url.format(**world), data={**rest, field: value, "request_key": _key()},
                                   headers={"Accept-Language": "zh-CN"})
            db.session.rollback()
            assert response.status_code < 500, (url, field, value)
            assert _rows() == before, (url, field, value)
            if value in REFUSED:
                assert MESSAGE_ZH in response.get_data(as_text=True), (url, field, value)


def test_registering_with_a_name_that_cannot_be_stored_says_why(client, make_user):
    make_user()  # the community to choose
    before = _rows()
    response = client.post("/register", data={"name": NUL, "phone": "13912340000", "password": "password1",
                                              "community": "锦湖社区"}, headers={"Accept-Language": "zh-CN"})
    assert response.status_code < 500 and MESSAGE_ZH in response.get_data(as_text=True)
    assert _rows() == before


@pytest.mark.parametrize("url", ["/admin?q=%00", "/admin/users?q=%00", "/review/residents?q=a%00b",
                                 "/admin?q=%E2%80%AE", f"/admin/users?q={'王' * 500}"])
def test_a_search_for_text_no_name_can_hold_finds_nobody(client, world, url):
    response = client.get(url)
    assert response.status_code == 200 and "张桂兰" not in response.get_data(as_text=True)


def _key():
    return str(uuid.uuid4())


def test_the_reasons_of_the_queues_refuse_bad_text_and_change_nothing(client, world, make_user):
    """The award requests' refusal and the review queue's rejection are forms of their own, not WTForms."""
    from points.earning import awards

    other_admin = make_user(Role.ADMIN, name="李秀梅")
    _status, request = awards.give(other_admin, db.session.get(User, world["resident"]), 80, "fuzz-request",
                                   note="四眼")
    db.session.commit()
    for url, form in [(f"/admin/award-requests/{request.id}/refuse", {}),
                      ("/review/decide", {"bulk": "reject", "claim_ids": "1"})]:
        for value in FORM_NASTY:
            before = _rows()
            response = client.post(url, data={**form, "reason": value}, headers={"Accept-Language": "zh-CN"})
            db.session.rollback()
            assert response.status_code < 500 and _rows() == before, (url, value)
            if value in REFUSED:
                assert MESSAGE_ZH in response.get_data(as_text=True), (url, value)
