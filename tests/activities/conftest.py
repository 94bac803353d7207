"""Fixtures for activities: an action to award, an organiser, an open activity."""
import itertools
from datetime import timedelta

import pytest

from points.accounts.models import Role
from points.earning import activities
from points.earning.models import ActionType, Unit
from points.extensions import db
from points.timeutil import now_utc
from tests.earning.conftest import client  # noqa: F401 (pages in English, the source texts)

_codes = itertools.count()


@pytest.fixture
def make_action(app):
    def make(points=5, **fields):
        number = next(_codes)
        values = dict(code=f"volunteer_{number}", name_zh=f"志愿服务{number}", name_en=f"Volunteering {number}",
                      category="volunteer", points=points, unit=Unit.TIME, daily_cap=None, monthly_cap=None,
                      evidence_required=False, self_claimable=False)
        action = ActionType(**{**values, **fields})
        db.session.add(action)
        db.session.commit()
        return action

    return make


@pytest.fixture
def organiser(make_user):
    return make_user(roles=Role.REVIEWER, name="李组织")


@pytest.fixture
def make_activity(make_action, organiser):
    """make_activity(by=organiser, points=5, action=None) -> a committed open activity starting now."""

    def make(by=None, points=5, action=None, title="楼道清扫"):
        action = action or make_action()
        activity = activities.create(by or organiser, title, now_utc(), now_utc() + timedelta(hours=2), "3号楼",
                                     action.id, points)
        db.session.commit()
        return activity

    return make
