"""The dashboard's charts as data for static/reports/dashboard.js: the same figures as its tables.

Each chart is {categories, series: [{name, kind: bar|line, data, axis: 0|1}], horizontal, units};
names and labels are translated here so the script needs no words of its own.
"""
import functools
from datetime import date, timedelta

from babel.dates import format_skeleton
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

LINE_NAMES = {"awarded": _l("Awarded"), "deducted": _l("Deducted"), "redeemed": _l("Redeemed"),
              "expired": _l("Expired")}


def first_day(month):
    """The first day of a month ("2026-11")."""
    return date.fromisoformat(f"{month}-01")


def month_days(month):
    """(first, last) day of a month ("2026-11"), both included."""
    first = first_day(month)
    return first, (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)


def month_name(month):
    """2026年11月 / Nov 2026."""
    return format_skeleton("yMMM", first_day(month), locale=str(get_locale()))


def week_name(monday):
    """11月30日 / Nov 30: the week's Monday."""
    return _day_label(monday, str(get_locale()))


@functools.lru_cache(maxsize=4096)
def _day_label(day, locale):
    # Remembered: a year's table names each of 52 Mondays once per venue, and Babel takes its time.
    return format_skeleton("MMMd", day, locale=locale)


def figure(number):
    """1,234: digits grouped in threes with a comma, as both of the app's languages (zh, en) write them.
    The tables' thousand cells use this instead of Babel's format_number, many times slower per cell."""
    return f"{number:,}"


def for_dashboard(seen):
    return {
        "points_per_month": _points([month_name(m.month) for m in seen.months], [m.points for m in seen.months]),
        "points_per_community": _points([p.label for p in seen.by_community], seen.by_community, horizontal=True),
        "points_per_category": _points([p.label for p in seen.by_category], seen.by_category, horizontal=True),
        "active_residents": _chart([month_name(m.month) for m in seen.months],
                                   [_series(_l("Active residents"), [m.active for m in seen.months], "line")]),
        "claims": _claims(seen.months),
        "venue_use": _venue_use(seen.venue_weeks),
    }


def _points(categories, rows, horizontal=False):
    series = [_series(name, [getattr(row, line) for row in rows]) for line, name in LINE_NAMES.items()]
    return _chart(categories, series, horizontal=horizontal)


def _claims(months):
    return _chart([month_name(m.month) for m in months], [
        _series(_l("Approved"), [m.claims.approved for m in months]),
        _series(_l("Rejected"), [m.claims.rejected for m in months]),
        _series(_l("Median hours to decision"), [m.claims.median_hours for m in months], "line", axis=1),
    ], units=[str(_l("Claims")), str(_l("Hours"))])


def _venue_use(weeks):
    """All venues together per week (the table beside it has each venue's rows)."""
    mondays = sorted({week.week for week in weeks})
    sums = {monday: [0, 0, 0, 0] for monday in mondays}  # booked, checked in, no-shows, capacity
    for week in weeks:
        cell = sums[week.week]
        cell[0], cell[1], cell[2], cell[3] = (cell[0] + week.booked, cell[1] + week.checked_in,
                                              cell[2] + week.no_shows, cell[3] + week.capacity)
    fill = [round(100 * c[0] / c[3]) if c[3] else 0 for c in sums.values()]
    return _chart([week_name(monday) for monday in mondays], [
        _series(_l("Places booked"), [c[0] for c in sums.values()]),
        _series(_l("Checked in"), [c[1] for c in sums.values()]),
        _series(_l("No-shows"), [c[2] for c in sums.values()]),
        _series(_l("How full (%)"), fill, "line", axis=1),
    ], units=[str(_l("Places")), "%"])


def _chart(categories, series, horizontal=False, units=None):
    return {"categories": [str(c) for c in categories], "series": series, "horizontal": horizontal,
            "units": units or []}


def _series(name, data, kind="bar", axis=0):
    return {"name": str(name), "kind": kind, "data": data, "axis": axis}
