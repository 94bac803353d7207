"""Fixtures for family helpers: a resident with points, the relative who helps, a session to book, an action to claim."""
import itertools
from datetime import timedelta

import pytest

from points import ledger
from points.accounts import helpers
from points.earning.models import ActionType, Unit
from points.extensions import db
from points.redemption import sessions, venues
from points.redemption.models import NoShowPolicy
from points.timeutil import now_utc

_keys = itertools.count()


@pytest.fixture
def resident(make_user):
    """张桂兰, 100 points, of 锦湖社区."""
    resident = make_user(name="张桂兰")
    ledger.award(resident.id, 100, f"helpers-test:{next(_keys)}")
    db.session.commit()
    return resident


@pytest.fixture
def relative(make_user):
    """Her son, with an account of his own in another community: no reviewer's reach joins them."""
    return make_user(name="李明", community="午山社区")


@pytest.fixture
def grant(resident, relative):
    """grant(*scopes, accepted=True, days_ago=0) -> a committed grant from 张桂兰 to 李明."""

    def make(*scopes, accepted=True, days_ago=0):
        then = now_utc() - timedelta(days=days_ago)
        made = helpers.invite(resident, relative.phone, helpers.scopes_from(scopes or ("view",)), now=then)
        if accepted:
            helpers.accept(relative, made, now=then)
        db.session.commit()
        return made

    return make


@pytest.fixture
def tomorrow(app):
    """A session tomorrow, bookable now (real time: the pages read the clock)."""
    venue = venues.create_venue("羽毛球馆", "badminton", NoShowPolicy.RELEASE, place="二楼")
    starts = now_utc() + timedelta(days=1)
    session = sessions.create_session(venue, starts, starts + timedelta(hours=1), 8, 5)
    db.session.commit()
    return session


@pytest.fixture
def action(app):
    """A self-claimable action needing no photo."""
    action = ActionType(code="stairs", name_zh="清扫楼道", name_en="Cleaning the stairs", category="environment",
                        points=3, unit=Unit.TIME, evidence_required=False, self_claimable=True)
    db.session.add(action)
    db.session.commit()
    return action


@pytest.fixture
def text():
    return lambda response: response.get_data(as_text=True)
