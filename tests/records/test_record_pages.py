"""The record pages: who may make and open a record, the period form's errors, and the printable record."""
import re

import pytest
from sqlalchemy import func, select

from points.accounts.models import Role
from points.extensions import db
from points.records.models import ServiceRecord


def stored():
    return db.session.execute(select(func.count()).select_from(ServiceRecord)).scalar()


@pytest.fixture
def make_on_page(client):
    """make_on_page(path, from_day, to_day) -> the response after following the redirect to the record."""

    def make(path, first="", last=""):
        return client.post(path, data={"from": first, "to": last}, follow_redirects=True)

    return make


def test_a_resident_makes_their_own_record_and_sees_its_code(resident, login, approved_claim, make_on_page):
    approved_claim(quantity=1)
    login(resident)
    page = make_on_page("/me/record").get_data(as_text=True)
    code = db.session.execute(select(ServiceRecord.code)).scalar()
    assert "张桂兰" in page and code in page and f"/verify/{code}" in page
    assert re.search(r'data-total="points">\s*3<', page)


def test_the_resident_home_links_to_the_record(resident, login, client):
    login(resident)
    assert 'href="/me/record"' in client.get("/").get_data(as_text=True)


def test_a_reviewer_makes_one_from_the_residents_page(resident, reviewer, login, client, make_on_page):
    login(reviewer)
    assert f'/people/{resident.id}/record' in client.get(f"/admin/residents/{resident.id}").get_data(as_text=True)
    response = make_on_page(f"/people/{resident.id}/record", "2026-01-01", "2026-06-30")
    assert response.status_code == 200 and "No approved civic action in this period." in response.get_data(as_text=True)
    assert db.session.execute(select(ServiceRecord.made_by)).scalar() == reviewer.id


def test_a_reviewer_of_another_community_finds_nobody(resident, make_user, login, client, make_on_page):
    login(make_user(Role.REVIEWER, community="午山社区"))
    assert client.get(f"/people/{resident.id}/record").status_code == 404
    assert make_on_page(f"/people/{resident.id}/record").status_code == 404
    assert stored() == 0


def test_a_resident_cannot_use_the_reviewers_page_nor_open_anothers_record(resident, make_user, login, client):
    other = make_user(name="李四")
    login(other)
    client.post("/me/record", data={})
    assert client.get(f"/people/{resident.id}/record").status_code == 403
    login(resident)
    assert client.get(f"/me/record/{db.session.execute(select(ServiceRecord.id)).scalar()}").status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get("/me/record").status_code == 302


@pytest.mark.parametrize("first, last, message", [
    ("2026-02-30", "", "Please give the day as YYYY-MM-DD"),
    ("2026-06-02", "2026-06-01", "The last day must not be before the first day."),
    ("1999-12-31", "", "Please enter a date from 2000-01-01 to 2099-12-31."),
])
def test_a_bad_period_is_shown_beside_the_form_and_stores_nothing(resident, login, client, first, last, message):
    login(resident)
    response = client.post("/me/record", data={"from": first, "to": last})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert stored() == 0


def test_the_records_made_are_listed_to_print_again(resident, login, client, make_on_page):
    login(resident)
    make_on_page("/me/record", "2026-01-01", "2026-03-31")
    listed = client.get("/me/record").get_data(as_text=True)
    assert 'data-record="' in listed and "Made " in listed


def test_the_record_carries_the_qr_of_its_verify_address(resident, login, make_on_page):
    login(resident)
    page = make_on_page("/me/record").get_data(as_text=True)
    assert re.search(r'class="record-check__qr"[^>]*>\s*<svg', page)
