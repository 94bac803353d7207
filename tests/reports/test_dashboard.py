"""The dashboard's figures for a small known scheme, what a reviewer sees, and bad filters refused clearly."""
from datetime import date

import pytest

from points.accounts.models import Role
from points.ledger import rollup
from points.reports import dashboard
from points.reports.dashboard import Points
from points.reports.statement import current_month
from points.reports.venue_use import Week
from tests.reports.conftest import JINHU, QINGFENG, SESSION_MONTH


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="街道管理员")


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER, name="青峰审核员", community=QINGFENG)


def this_month(viewer, **filters):
    return dashboard.for_viewer(viewer, current_month(), current_month(), **filters)


def test_points_per_month_and_active_residents(scheme, admin):
    month = this_month(admin).months[-1]
    assert month.points == Points(current_month(), awarded=53, deducted=5, redeemed=5, expired=0)
    assert month.active == 2


def test_points_per_community_and_per_category(app, scheme, admin):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        seen = this_month(admin)
    assert seen.by_community == [Points(JINHU, 33, 5, 5, 0), Points(QINGFENG, 20, 0, 0, 0)]
    assert [(str(p.label), p.awarded, p.deducted, p.redeemed) for p in seen.by_category] == [
        ("Volunteer service", 30, 0, 0), ("Environment", 23, 0, 0), ("Deduction", 0, 5, 0), ("No category", 0, 0, 5)]


def test_claims_decided_and_the_median_wait(scheme, admin):
    claims = this_month(admin).months[-1].claims
    assert (claims.approved, claims.rejected, claims.median_hours) == (1, 1, 3.0)


def test_venue_use_per_week(scheme, admin):
    weeks = dashboard.for_viewer(admin, SESSION_MONTH, SESSION_MONTH).venue_weeks
    assert weeks == [Week("羽毛球馆", date(2026, 6, 8), sessions=1, capacity=4, booked=2, checked_in=1, no_shows=1)]
    assert weeks[0].fill == 50


def test_a_reviewer_sees_only_their_community(scheme, reviewer):
    seen = this_month(reviewer)
    assert seen.months[-1].points == Points(current_month(), awarded=20)
    assert (seen.months[-1].active, seen.months[-1].claims.approved, seen.months[-1].claims.rejected) == (1, 0, 1)
    assert [p.label for p in seen.by_community] == [QINGFENG] and seen.communities == []
    week = dashboard.for_viewer(reviewer, SESSION_MONTH, SESSION_MONTH).venue_weeks[0]
    assert (week.booked, week.checked_in, week.no_shows, week.fill) == (1, 0, 1, 25)


def test_an_admin_picks_one_community(scheme, admin):
    seen = this_month(admin, community_id=scheme[0].community_id)
    assert seen.name == JINHU and seen.months[-1].points.awarded == 33


def test_the_period_is_the_last_twelve_months_by_default(app):
    first, last = dashboard.parse_period()
    assert last == current_month() and first == rollup.shift_month(last, -11)


def test_the_page_shows_each_figure_in_a_table(scheme, admin, login, client):
    login(admin)
    page = client.get("/admin/reports").get_data(as_text=True)
    assert 'data-total="awarded">53<' in page and "Points per action category" in page
    june = client.get(f"/admin/reports?from={SESSION_MONTH}&to={SESSION_MONTH}").get_data(as_text=True)
    assert '<th scope="row">羽毛球馆</th><td>Jun 8</td>' in june and "50%" in june


@pytest.mark.parametrize("query, status, message", [
    ("from=2026-13", 422, "Please give the month as YYYY-MM"),
    ("to=26-01", 422, "Please give the month as YYYY-MM"),
    ("from=2026-10&to=2026-09", 422, "The period must begin before it ends."),
    ("from=2020-01&to=2026-01", 422, "at most 36 months"),
    ("community_id=abc", 404, "No such community."),
    ("community_id=99999", 404, "No such community."),
])
def test_bad_filters_get_a_clear_message(admin, login, client, query, status, message):
    login(admin)
    response = client.get(f"/admin/reports?{query}")
    assert response.status_code == status and message in response.get_data(as_text=True)


def test_a_reviewer_cannot_see_another_community(scheme, reviewer, login, client):
    login(reviewer)
    response = client.get(f"/admin/reports?community_id={scheme[0].community_id}")
    assert response.status_code == 404 and "No such community." in response.get_data(as_text=True)


def test_residents_may_not_open_the_reports(scheme, login, client):
    login(scheme[0])
    assert client.get("/admin/reports").status_code == 403
    assert client.get("/admin/reports/statement").status_code == 403
