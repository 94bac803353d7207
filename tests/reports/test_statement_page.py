"""The statement's page: its lines for the street or one community, its month picker, its downloads."""
import re

import pytest

from points.accounts.models import Role
from tests.reports.conftest import JINHU, QINGFENG


@pytest.fixture
def signed_in(make_user, login):
    """signed_in(role, community) -> a signed-in admin or reviewer."""

    def sign_in(role=Role.ADMIN, community=JINHU):
        user = make_user(role, name="报表读者", community=community)
        login(user)
        return user

    return sign_in


def line(page, name):
    return re.search(rf'data-line="{name}">([^<]*)<', page).group(1)


def test_the_street_statement_closes_on_the_residents_balances(scheme, signed_in, client):
    signed_in()
    page = client.get("/admin/reports/statement").get_data(as_text=True)
    assert (line(page, "opening"), line(page, "awarded"), line(page, "closing")) == ("0", "53", "43")
    assert 'data-balances-now="43"' in page and JINHU in page and QINGFENG in page


def test_a_reviewer_reads_their_community_only(scheme, signed_in, client):
    signed_in(Role.REVIEWER, QINGFENG)
    page = client.get("/admin/reports/statement").get_data(as_text=True)
    assert line(page, "closing") == "20" and 'data-table="communities"' not in page


def test_the_statement_downloads_as_csv(scheme, signed_in, client):
    signed_in()
    page = client.get("/admin/reports/statement").get_data(as_text=True)
    link = re.search(r'href="(/admin/exports/statement\?[^"]*format=csv[^"]*)"', page).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response.status_code == 200 and "text/csv" in response.content_type


@pytest.mark.parametrize("month", ["2026-13", "next month", "1999-12"])
def test_a_bad_month_is_refused_with_a_message(signed_in, client, month):
    signed_in()
    response = client.get("/admin/reports/statement", query_string={"month": month})
    assert response.status_code == 422 and "Please give the month as YYYY-MM" in response.get_data(as_text=True)
