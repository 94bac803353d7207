"""Dates and times as people read them, one format per language: 2 Dec 2026 / 2026年12月2日, in the
scheme's zone.

Every template filter that shows a day or an instant lives here, and so do the words of the
operations that name one (a refusal's "until 2 Dec 2026 17:00"), so nothing mixes two formats.
"""
from datetime import datetime

from flask_babel import format_date, format_time, get_locale, pgettext

from points.timeutil import as_utc, local_day, now_utc

# Per language: a day, and a day with its weekday. Babel's English "medium" is "Dec 2, 2026"; the
# scheme writes "2 Dec 2026". Chinese "long" is 2026年12月2日.
FORMATS = {"en": ("d MMM y", "EEE d MMM y"), "zh": ("long", "y年M月d日 EEE")}


def _formats():
    return FORMATS.get(str(get_locale() or "zh").split("_")[0], FORMATS["zh"])


def _as_day(value):
    return local_day(value) if isinstance(value, datetime) else value


def day(value):
    """2 Dec 2026 / 2026年12月2日: a day, or the scheme's day of a stored instant."""
    return format_date(_as_day(value), _formats()[0]) if value else ""


def long_day(value):
    """Wed 2 Dec 2026 / 2026年12月2日 周三: a session's day, where the weekday helps."""
    return format_date(_as_day(value), _formats()[1]) if value else ""


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
