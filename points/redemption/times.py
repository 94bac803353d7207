"""Time for redemption: instants are stored in UTC, days and clock times are the scheme's (POINTS_TIMEZONE)."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from points.timeutil import as_utc, now_utc


def zone():
    return ZoneInfo(current_app.config["TIMEZONE"])


def local(moment):
    """A stored instant as the scheme's wall-clock time."""
    return as_utc(moment).astimezone(zone())


def local_day(moment):
    return local(moment).date()


def at_local(day, clock):
    """The instant (in UTC) of a wall-clock time on a day in the scheme's zone."""
    return as_utc(datetime.combine(day, clock, tzinfo=zone()))


def day_bounds(day):
    """[start, end) of a day in the scheme's zone, as UTC instants."""
    return at_local(day, time()), at_local(day + timedelta(days=1), time())


def setting(name):
    return current_app.config[name]


def instant(now=None):
    """`now` as given (any zone) in UTC, or the current time: SQLite stores a time's digits as they are."""
    return as_utc(now) if now is not None else now_utc()
