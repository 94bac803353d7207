"""Dates and times on pages, one format per language: 2 Dec 2026 / 2026年12月2日, in the scheme's zone.

Every template filter that shows a day or an instant lives here, so a page never mixes two formats.
"""
from datetime import datetime

from flask_babel import format_date, format_time, get_locale, pgettext

from points.timeutil import as_utc, local_day, now_utc

# Babel's English "medium" is "Dec 2, 2026"; the scheme writes "2 Dec 2026". Chinese "long" is 2026年12月2日.
DAY = {"en": "d MMM y"}
DAY_WITH_WEEKDAY = {"en": "EEE d MMM y"}
CHINESE_DAY = "long"


def _pattern(patterns, chinese):
    return patterns.get(str(get_locale() or "zh").split("_")[0], chinese)


def _as_day(value):
    return local_day(value) if isinstance(value, datetime) else value


def day(value):
    """2 Dec 2026 / 2026年12月2日: a day, or the scheme's day of a stored instant."""
    return format_date(_as_day(value), _pattern(DAY, CHINESE_DAY)) if value else ""


def long_day(value):
    """Wed 2 Dec 2026 / 2026年12月2日 周三: a session's day, where the weekday helps."""
    if not value:
        return ""
    value = _as_day(value)
    if _pattern(DAY, None) is None:  # Chinese puts the weekday after the date
        return f"{format_date(value, CHINESE_DAY)} {format_date(value, 'EEE')}"
    return format_date(value, _pattern(DAY_WITH_WEEKDAY, CHINESE_DAY))


def hhmm(moment):
    """19:00 — a stored instant's clock time in the scheme's zone."""
    return format_time(as_utc(moment), "HH:mm") if moment else ""


def when(moment):
    """2 Dec 2026 17:00 / 2026年12月2日 17:00: a stored instant in the scheme's zone."""
    return f"{day(moment)} {hhmm(moment)}" if moment else ""


def day_chip(value):
    """Today / Tomorrow / Fri 6/12: short enough for a row of buttons on a phone."""
    offset = (value - local_day(now_utc())).days
    if offset in (0, 1):
        return pgettext("day", "Today") if offset == 0 else pgettext("day", "Tomorrow")
    return f"{format_date(value, 'EEE')} {value.month}/{value.day}"


def init_app(app):
    for show in (day, long_day, hhmm, when, day_chip):
        app.add_template_filter(show)
