"""Exports as the API, the pages and the command ask for them: two communities, awards in each, a reader."""
import csv
import io
import itertools

import openpyxl
import pytest

from points.accounts.models import Role
from points.earning import awards
from points.extensions import db

_keys = itertools.count(1)


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN | Role.RESIDENT, name="王建国")


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER | Role.RESIDENT, community="锦湖社区", name="李审核")


@pytest.fixture
def give(admin):
    """give(resident, points, note="") -> the award, committed (as an admin gives it, up to 50 points)."""

    def award(resident, points, note="打扫楼道"):
        awarded = awards.give(admin, resident, points, f"export-test-{next(_keys)}", note=note)
        db.session.commit()
        return awarded

    return award


@pytest.fixture
def residents(make_user, give):
    """One resident in 锦湖社区 and one in 午山社区, each awarded once; the first note is a formula."""
    jinhu = make_user(community="锦湖社区", name="张三")
    wushan = make_user(community="午山社区", name="欧阳娜娜")
    give(jinhu, 10, note="=HYPERLINK(\"http://evil\")")
    give(wushan, 20, note="帮助邻居")
    return jinhu, wushan


@pytest.fixture
def get_export(client, token_for):
    """get_export(user, kind, **query) -> the API's answer to GET /api/v1/exports/<kind>."""

    def get(user, kind, **query):
        return client.get(f"/api/v1/exports/{kind}", query_string=query, headers=token_for(user))

    return get


def read_csv(response):
    """The rows of a CSV answer, header first; the BOM must be there and is taken off."""
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response):
    """The rows of an XLSX answer's first sheet, as openpyxl reads them."""
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
