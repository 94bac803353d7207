"""What every kind shares: times in the scheme's zone, phones masked for reviewers, the scope as SQL."""
from sqlalchemy import true

from points.accounts.models import mask_phone
from points.redemption.times import day_bounds, zone
from points.timeutil import as_utc


def clock():
    """A function from a stored instant to the scheme's wall-clock time, "2026-11-30 19:05:00"."""
    here = zone()

    def shown(moment):
        return as_utc(moment).astimezone(here).strftime("%Y-%m-%d %H:%M:%S") if moment is not None else ""

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
