"""Time: stored in UTC, shown in the scheme's time zone (POINTS_TIMEZONE)."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

# The days a query may name: far beyond any record, and inside what a datetime holds once a day's
# bounds are moved between the scheme's time zone and UTC (year 1 and year 9999 are not).
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def now_utc():
    return datetime.now(UTC)


def as_utc(moment):
    """A stored time as aware UTC (SQLite hands back naive datetimes, already in UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


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


def month_bounds(first_day):
    """[start, end) of the month that begins on `first_day`, in the scheme's zone, as UTC instants."""
    following = date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)
    return at_local(first_day, time()), at_local(following, time())
