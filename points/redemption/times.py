"""Time for redemption: instants are stored in UTC, days and clock times are the scheme's (POINTS_TIMEZONE)."""
from flask import current_app

from points.timeutil import as_utc, at_local, day_bounds, local, local_day, now_utc, zone  # noqa: F401 (the zone's helpers)


def setting(name):
    return current_app.config[name]


def instant(now=None):
    """`now` as given (any zone) in UTC, or the current time: SQLite stores a time's digits as they are."""
    return as_utc(now) if now is not None else now_utc()
