"""The dashboard's figures for a viewer and a period: points per month, community and action category
(from the ledger's monthly totals, never from the transfers), active residents, claims decided, venue use.

Admins see every community or the one they pick; a reviewer sees their own community only, and
naming another is answered as a community that does not exist (points.accounts.reach).
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from points.accounts.models import Community, Role
from points.earning.catalogue import category_label
from points.errors import Forbidden, Invalid, NotFound
from points.extensions import db
from points.ledger import rollup
from points.reports import decisions, venue_use
from points.reports.statement import current_month, parse_month
from points.routing import is_id
from points.timeutil import now_utc

MONTHS_SHOWN = 12  # the default period: this month and the eleven before it
MOST_MONTHS = 36
POINT_LINES = ("awarded", "deducted", "redeemed", "expired")
NO_SUCH_COMMUNITY = _l("No such community.")


@dataclass(frozen=True)
class Points:
    """Points awarded, deducted, redeemed and expired: for a month, a community or a category."""

    label: str
    awarded: int = 0
    deducted: int = 0
    redeemed: int = 0
    expired: int = 0


@dataclass(frozen=True)
class Month:
    month: str  # "2026-11"
    points: Points
    active: int  # residents who earned or spent anything
    claims: decisions.Decided


@dataclass(frozen=True)
class Dashboard:
    first: str
    last: str
    community_id: int | None  # the community picked, or None for every one the viewer sees
    name: str | None  # the name of the community the figures cover; None: every community
    communities: list  # the communities an admin may pick from; [] for a reviewer
    months: list  # Month, oldest first
    by_community: list  # Points per community over the period
    by_category: list  # Points per action category over the period
    venue_weeks: list  # venue_use.Week
    made_at: datetime


def parse_period(first_text=None, last_text=None):
    """(first, last) months from the filter; by default the last twelve months up to this one."""
    last = month_in(last_text, "to") if last_text else current_month()
    first = month_in(first_text, "from") if first_text else rollup.shift_month(last, 1 - MONTHS_SHOWN)
    if first > last:
        raise Invalid(_l("The period must begin before it ends."), field="from")
    if len(months_between(first, last)) > MOST_MONTHS:
        raise Invalid(_l("Choose a period of at most %(months)d months.", months=MOST_MONTHS), field="to")
    return first, last


def month_in(text, field):
    """The statement's rule for a month, with the message on this form's own field."""
    try:
        return parse_month(text)
    except Invalid as bad:
        raise Invalid(bad.message, field=field) from None


def parse_community(text):
    """The community id of the filter, or None when none is named."""
    if text in (None, ""):
        return None
    number = int(text) if text.isdigit() else None
    if not is_id(number):
        raise NotFound(NO_SUCH_COMMUNITY, field="community_id")
    return number


def scope(viewer, community_id):
    """The community ids the viewer's figures cover: None means every community (an admin's default).
    Whom a viewer looks after is User.looks_after's rule; one out of reach answers as one that is not."""
    if not (viewer.has_role(Role.ADMIN) or viewer.has_role(Role.REVIEWER)):
        raise Forbidden()
    if community_id is None:
        return None if viewer.has_role(Role.ADMIN) else [viewer.community_id]  # a reviewer always has one
    if db.session.get(Community, community_id) is None or not viewer.looks_after(community_id):
        raise NotFound(NO_SUCH_COMMUNITY, field="community_id")
    return [community_id]


def for_viewer(viewer, first, last, community_id=None):
    """Every figure of the dashboard, within what the viewer may see."""
    ids = scope(viewer, community_id)
    totals, active = rollup.totals(first, last, ids), rollup.active_residents(first, last, ids)
    names = _community_names()
    return Dashboard(
        first=first, last=last, community_id=community_id, name=names(ids[0]) if ids else None,
        communities=community_choices() if viewer.has_role(Role.ADMIN) else [],
        months=_months(first, last, totals, active, decisions.per_month(first, last, ids)),
        by_community=_by(totals, lambda total: total.community_id, names),
        by_category=_by(totals, lambda total: total.category or "", _category_names),
        venue_weeks=venue_use.weeks(first, last, ids), made_at=now_utc(),
    )


def months_between(first, last):
    months = [first]
    while months[-1] < last:
        months.append(rollup.shift_month(months[-1], 1))
    return months


def _months(first, last, totals, active, decided):
    points = _sums(totals, lambda total: total.month)
    residents = defaultdict(int)
    for month, _community, count in active:
        residents[month] += count
    return [Month(month, Points(month, **points.get(month, {})), residents[month],
                  decided.get(month, decisions.NONE)) for month in months_between(first, last)]


def _by(totals, key, name_of):
    """Points over the period per key (community, category), largest award first."""
    rows = [Points(str(name_of(k)), **sums) for k, sums in _sums(totals, key).items()]
    return sorted(rows, key=lambda row: (-row.awarded, -row.deducted, row.label))


def _sums(totals, key):
    """{key: {line: points}} for the four lines the dashboard charts; a line's net, as it moved balances."""
    sums = defaultdict(lambda: dict.fromkeys(POINT_LINES, 0))
    for total in totals:
        if total.line in POINT_LINES:
            into = total.points_in - total.points_out
            sums[key(total)][total.line] += into if total.line == "awarded" else -into
    return sums


def _community_names():
    names = dict(db.session.execute(select(Community.id, Community.name)).all())
    return lambda community_id: names.get(community_id) or _l("No community")


def _category_names(code):
    return category_label(code) if code else _l("No category")


def street_name(community_id):
    """The name of the street a community belongs to."""
    return db.session.get(Community, community_id).street.name


def community_choices():
    return db.session.execute(select(Community.id, Community.name).order_by(Community.name)).all()
