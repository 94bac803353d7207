"""Caps: counted per resident, action, day and month (in the scheme's time zone), never passed."""
from datetime import UTC, date, datetime

import pytest

from points.earning import caps
from points.extensions import db


@pytest.fixture
def capped(make_action):
    return make_action(points=4, daily_cap=10, monthly_cap=12)


DAY = date(2026, 11, 26)


def test_points_within_the_caps_are_granted_and_counted(app, resident, capped):
    assert caps.take(resident.id, capped, DAY, 8) == 8
    assert caps.used(resident.id, capped.id, "2026-11-26") == 8
    assert caps.used(resident.id, capped.id, "2026-11") == 8


def test_passing_a_cap_is_refused_and_counts_nothing(app, resident, capped):
    caps.take(resident.id, capped, DAY, 8)
    with pytest.raises(caps.CapReached) as refused:
        caps.take(resident.id, capped, DAY, 4)
    assert refused.value.code == "daily_cap_reached"
    assert caps.used(resident.id, capped.id, "2026-11-26") == 8
    caps.take(resident.id, capped, date(2026, 11, 27), 4)
    with pytest.raises(caps.CapReached) as refused:
        caps.take(resident.id, capped, date(2026, 11, 28), 4)
    assert refused.value.code == "monthly_cap_reached"


def test_partial_grants_what_is_left_under_both_caps(app, resident, capped):
    assert caps.take(resident.id, capped, DAY, 8) == 8
    assert caps.take(resident.id, capped, DAY, 8, partial=True) == 2  # the day's cap leaves 2
    assert caps.take(resident.id, capped, date(2026, 11, 27), 8, partial=True) == 2  # the month's leaves 2
    assert caps.take(resident.id, capped, date(2026, 11, 28), 8, partial=True) == 0
    assert caps.used(resident.id, capped.id, "2026-11") == 12
    db.session.commit()


def test_no_cap_means_any_amount(app, resident, make_action):
    free = make_action(points=5)
    assert caps.take(resident.id, free, DAY, 500) == 500
    assert caps.take(resident.id, free, DAY, 500, partial=True) == 500
    assert caps.room_left(resident.id, free, DAY) is None


def test_caps_are_per_resident_and_per_action(app, make_user, capped, make_action):
    first, second = make_user(), make_user()
    caps.take(first.id, capped, DAY, 10)
    assert caps.take(second.id, capped, DAY, 10) == 10
    assert caps.take(first.id, make_action(points=4, daily_cap=10), DAY, 10) == 10


def test_days_are_those_of_the_schemes_time_zone(app):
    late_evening_utc = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # 01:00 on 1 December in Shanghai
    assert caps.local_date(late_evening_utc) == date(2026, 12, 1)
    app.config["TIMEZONE"] = "UTC"
    assert caps.local_date(late_evening_utc) == date(2026, 11, 30)
