"""What every kind shares: times in the scheme's zone, phones masked for reviewers, the scope as SQL."""
from sqlalchemy import String, func, true, type_coerce

from points.accounts.models import mask_phone
from points.extensions import db
from points.redemption.times import day_bounds, setting, zone
from points.timeutil import as_utc


def wall_clock(column):
    """An instant column as the scheme's wall-clock time. PostgreSQL turns it into text itself, which
    reads a third faster than a timestamp with its time zone; SQLite knows no zones: `clock` does it."""
    if db.engine.dialect.name != "postgresql":
        return column
    return func.to_char(func.timezone(setting("TIMEZONE"), column), "YYYY-MM-DD HH24:MI:SS")


def plain(column):
    """A column read as the text it holds (an enum's value), without turning it into the enum."""
    return type_coerce(column, String())


def clock():
    """A function from what `wall_clock` read to the scheme's wall-clock time, "2026-11-30 19:05:00"."""
    here = zone()

    def shown(moment):
        if moment is None or moment.__class__ is str:
            return moment or ""
        return as_utc(moment).astimezone(here).strftime("%Y-%m-%d %H:%M:%S")

    return shown


def phone_shown(scope):
    """Whole phone numbers for admins, 138****1234 for reviewers (SPEC §7)."""
    return (lambda phone: phone or "") if scope.whole_phones else (lambda phone: mask_phone(phone) if phone else "")


def in_communities(scope, *columns):
    """The rows whose community (any of `columns`) is in the scope; every row when the scope is all."""
    if scope.community_ids is None:
        return true()
    wanted = list(scope.community_ids)
    condition = columns[0].in_(wanted)
    for column in columns[1:]:
        condition = condition | column.in_(wanted)
    return condition


def in_days(scope, column):
    """The rows whose instant falls on the scope's days (the scheme's calendar, both days included)."""
    condition = true()
    if scope.first_day is not None:
        condition = condition & (column >= day_bounds(scope.first_day)[0])
    if scope.last_day is not None:
        condition = condition & (column < day_bounds(scope.last_day)[1])
    return condition


def on_days(scope, column):
    """The same for a date column (a claim's day)."""
    condition = true()
    if scope.first_day is not None:
        condition = condition & (column >= scope.first_day)
    if scope.last_day is not None:
        condition = condition & (column <= scope.last_day)
    return condition


def text(value):
    return str(value) if value is not None else ""


def labels(label_of):
    """A label lookup that translates each value once per export, not once per row."""
    seen = {}

    def label(value):
        if value not in seen:
            found = label_of(value)
            seen[value] = str(found) if found is not None else str(value)
        return seen[value]

    return label
