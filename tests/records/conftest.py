"""Fixtures for service records: a resident's approved actions of every kind, made by the real operations."""
import itertools
from datetime import timedelta

import pytest

from points import ledger
from points.accounts.models import Role
from points.earning import activities, awards, claims
from points.earning.models import ActionType, Unit
from points.extensions import db
from points.timeutil import now_utc
from tests.earning.conftest import client  # noqa: F401 (pages in English, the source texts)

_codes = itertools.count()


@pytest.fixture
def make_action(app):
    """make_action(points=3, unit=Unit.TIME) -> a committed, self-claimable ActionType without caps."""

    def make(points=3, unit=Unit.TIME, name_zh=None, name_en=None):
        number = next(_codes)
        action = ActionType(code=f"record_{number}", name_zh=name_zh or f"清扫楼道{number}",
                            name_en=name_en or f"Cleaning {number}", category="environment", points=points,
                            unit=unit, daily_cap=None, monthly_cap=None, evidence_required=False,
                            self_claimable=points > 0)
        db.session.add(action)
        db.session.commit()
        return action

    return make


@pytest.fixture
def resident(make_user):
    return make_user(name="张桂兰")


@pytest.fixture
def reviewer(make_user):
    """A reviewer of 锦湖社区, the resident's community."""
    return make_user(Role.REVIEWER, name="赵敏")


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, community=None, name="王管理")


@pytest.fixture
def approved_claim(resident, reviewer, make_action):
    """approved_claim(quantity=1, days_ago=0, action=None) -> the claim, approved by the reviewer."""

    def make(quantity=1, days_ago=0, action=None):
        action = action or make_action()
        day = claims.local_today() - timedelta(days=days_ago)
        claim = claims.submit(resident, resident, action.id, day, quantity)
        claims.approve(reviewer, claim)
        db.session.commit()
        return claim

    return make


@pytest.fixture
def closed_activity(resident, reviewer, make_action):
    """closed_activity(hours=2, points=5) -> an activity the resident took part in, closed (awarded)."""

    def make(hours=2, points=5, title="楼道清扫"):
        action = make_action(points=points)
        start = now_utc() - timedelta(hours=hours + 1)
        activity = activities.create(reviewer, title, start, start + timedelta(hours=hours), "3号楼", action.id, points)
        activities.check_in(reviewer, activity, phone=resident.phone)
        activities.close(reviewer, activity)
        db.session.commit()
        return activity

    return make


@pytest.fixture
def given(resident, reviewer):
    """given(points, note) -> the Record of a reviewer's direct award (negative: a deduction)."""

    def give(points, note="帮助邻居"):
        _, record = awards.give(reviewer, resident, points, f"give:{next(_codes)}", note=note)
        db.session.commit()
        return record

    return give


@pytest.fixture
def reversed_award(given, admin):
    """An award of 7 points, then reversed by an admin."""
    from points.earning import corrections

    record = given(7, note="错发")
    corrections.reverse(admin, db.session.get(ledger.Transfer, record.id), "发错了", f"undo:{record.id}")
    db.session.commit()
    return record
