"""Time: stored in UTC, shown in the scheme's time zone."""
from datetime import UTC, datetime


def now_utc():
    return datetime.now(UTC)


def as_utc(moment):
    """A stored time as aware UTC (SQLite hands back naive datetimes, already in UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
