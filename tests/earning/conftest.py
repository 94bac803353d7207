"""Fixtures for earning: actions in the catalogue, claims, photos made with Pillow."""
import itertools
from datetime import timedelta

import pytest

from points.accounts.models import Role
from points.earning import claims
from points.earning.models import ActionType, Unit
from points.extensions import db

_codes = itertools.count()


@pytest.fixture
def client(app):
    """The test client, reading pages in English: the source texts, whatever the translations say."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def make_action(app):
    """make_action(points=3, **fields) -> a committed ActionType (self-claimable, no caps, no photo needed)."""

    def make(points=3, **fields):
        number = next(_codes)
        values = dict(code=f"action_{number}", name_zh=f"清扫楼道{number}", name_en=f"Cleaning {number}",
                      category="environment", points=points, unit=Unit.TIME, daily_cap=None, monthly_cap=None,
                      evidence_required=False, self_claimable=points > 0)
        action = ActionType(**{**values, **fields})
        db.session.add(action)
        db.session.commit()
        return action

    return make


@pytest.fixture
def resident(make_user):
    return make_user(name="张桂兰")


@pytest.fixture
def make_claim(make_action):
    """make_claim(resident, action=None, days_ago=0, quantity=1, by=None, photos=()) -> a committed pending Claim."""

    def make(resident, action=None, days_ago=0, quantity=1, by=None, photos=(), note=""):
        action = action or make_action()
        day = claims.local_today() - timedelta(days=days_ago)
        claim = claims.submit(by or resident, resident, action.id, day, quantity, note, photos)
        db.session.commit()
        return claim

    return make


@pytest.fixture
def reviewer_user(make_user):
    """A reviewer of 锦湖社区, not signed in."""
    return make_user(Role.REVIEWER, name="赵敏")


@pytest.fixture
def page(client):
    """page("/board") -> (status, text) of a GET."""

    def get(url, **kwargs):
        response = client.get(url, **kwargs)
        return response.status_code, response.get_data(as_text=True)

    return get
