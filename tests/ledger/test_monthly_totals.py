"""The monthly statement as an office reads it: its lines, a move between communities, who may see
which community, and the API's answer."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from points import ledger
from points.accounts import operations as accounts
from points.accounts.models import Role
from points.errors import Forbidden, Invalid, NotFound
from points.extensions import db
from points.reports import statement

NOV, DEC = "2026-11", "2026-12"


def at(text):
    return freeze_time(datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai")))


@pytest.fixture
def month_of_moves(make_user, make_venue):
    """November: 锦湖 earns 50 and 20, loses 5, spends 10 at a venue; 青峰 earns 30. December: 锦湖 earns 7."""
    zhang, li = make_user(name="张桂兰"), make_user(name="李明")
    wang = make_user(name="王芳", community="青峰社区")
    venue = make_venue()
    with at("2026-11-01 00:00"):  # Beijing's November already, UTC's October still
        ledger.award(zhang.id, 50, "m1", ledger.Memo(category="volunteer"))
    with at("2026-11-15 10:00"):
        ledger.award(li.id, 20, "m2")
        ledger.award(wang.id, 30, "m3")
        ledger.deduct(zhang.id, 5, "m4")
        ledger.post(ledger.hold(zhang.id, venue.id, 10, "m5").id, "m6")
    with at("2026-12-01 09:00"):
        ledger.award(li.id, 7, "m7")
    db.session.commit()
    return zhang, li, wang


def test_a_community_month_adds_up(month_of_moves, make_user):
    admin = make_user(Role.ADMIN)
    jinhu = month_of_moves[0].community_id
    nov = statement.monthly(admin, NOV, jinhu)
    assert (nov.opening, nov.awarded, nov.deducted, nov.redeemed, nov.closing) == (0, 70, 5, 10, 55)
    dec = statement.monthly(admin, DEC, jinhu)
    assert (dec.opening, dec.awarded, dec.closing) == (55, 7, 62)


def test_the_street_lists_each_community(month_of_moves, make_user):
    street = statement.monthly(make_user(Role.ADMIN), NOV)
    assert {part.name: part.closing for part in street.communities} == {"锦湖社区": 55, "青峰社区": 30}
    assert street.closing == 85


def test_the_current_month_shows_the_balances_now(month_of_moves, make_user):
    with at("2026-12-20 12:00"):
        now = statement.monthly(make_user(Role.ADMIN), DEC)
    assert now.balances_now == now.closing == 92


def test_a_resident_who_moves_takes_their_balance_along(month_of_moves, make_user):
    admin, zhang = make_user(Role.ADMIN), month_of_moves[0]
    jinhu = zhang.community_id
    with at("2026-12-10 12:00"):
        accounts.set_roles(zhang, Role.RESIDENT, accounts.community_named("青峰社区"), actor=admin)
        db.session.commit()
    dec = statement.monthly(admin, DEC)
    assert {part.name: (part.moved, part.closing) for part in dec.communities} == {
        "锦湖社区": (-35, 27), "青峰社区": (35, 65)}
    assert dec.moved == 0 and statement.monthly(admin, DEC, jinhu).closing == 27
    assert ledger.verify() == []


def test_a_reviewer_sees_their_own_community_only(month_of_moves, make_user):
    reviewer = make_user(Role.REVIEWER)
    assert statement.monthly(reviewer, NOV).closing == 55
    with pytest.raises(NotFound):
        statement.monthly(reviewer, NOV, month_of_moves[2].community_id)
    with pytest.raises(Forbidden):
        statement.monthly(month_of_moves[1], NOV)


@pytest.mark.parametrize("month", ["2026-13", "26-11", "1999-12", "2100-01", "", "2026-1"])
def test_a_month_not_in_the_calendar_is_refused(month):
    with pytest.raises(Invalid) as refused:
        statement.parse_month(month)
    assert refused.value.details["field"] == "month" and "YYYY-MM" in str(refused.value)


def test_the_api_answers_the_contract(month_of_moves, make_user, client, token_for):
    headers = token_for(make_user(Role.ADMIN))
    body = client.get(f"/api/v1/reports/monthly?month={NOV}", headers=headers).get_json()
    assert {k: body[k] for k in ("month", "opening", "awarded", "deducted", "redeemed", "expired", "reversed",
                                 "adjusted", "closing")} == dict(
        month=NOV, opening=0, awarded=100, deducted=5, redeemed=10, expired=0, reversed=0, adjusted=0, closing=85)
    assert {c["name"]: c["closing"] for c in body["communities"]} == {"锦湖社区": 55, "青峰社区": 30}


@pytest.mark.parametrize("query, status, field", [
    ("month=2026-13", 422, "month"), ("month=1999-12", 422, "month"), ("", 422, "month"),
    ("month=2026-11&community_id=x", 422, "community_id"), ("month=2026-11&community_id=999999", 404, None),
])
def test_the_api_refuses_clearly(client, make_user, token_for, query, status, field):
    response = client.get(f"/api/v1/reports/monthly?{query}", headers=token_for(make_user(Role.ADMIN)))
    error = response.get_json()["error"]
    assert response.status_code == status and error["message"]
    assert field is None or field in error.get("fields", {}) or error.get("field") == field


def test_residents_get_no_statement(client, make_user, token_for):
    response = client.get(f"/api/v1/reports/monthly?month={NOV}", headers=token_for(make_user()))
    assert response.status_code == 403
