"""Time: stored in UTC, shown in the scheme's time zone."""
from datetime import UTC, date, datetime

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
