"""Helpers for page tests: points straight into the ledger, and a page's text."""
import itertools

import pytest

from points import ledger
from points.accounts.models import Role
from points.extensions import db

_keys = itertools.count()


@pytest.fixture
def give_points():
    """give_points(user, 30, "扫楼道") posts an award through the ledger and commits."""

    def give(user, points, reason="测试奖励"):
        record = ledger.award(user.id, points, f"test:{next(_keys)}", ledger.Memo(reason=reason))
        db.session.commit()
        return record

    return give


@pytest.fixture
def page(client):
    """page("/admin") -> (status, text) of a GET."""

    def get(url, **kwargs):
        response = client.get(url, **kwargs)
        return response.status_code, response.get_data(as_text=True)

    return get


@pytest.fixture
def reviewer(make_user, login):
    """A signed-in reviewer of 锦湖社区 (make_user's default community)."""
    user = make_user(Role.REVIEWER, name="审核员")
    login(user)
    return user


@pytest.fixture
def admin(make_user, login):
    """A signed-in sub-district admin."""
    user = make_user(Role.ADMIN, name="管理员甲")
    login(user)
    return user
