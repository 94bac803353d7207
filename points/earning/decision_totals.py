"""Claims decided per month, community and wait, kept as each claim is decided, so the dashboard's
counts and median wait read a few hundred rows a month, however many claims there were.

A wait is kept to the hour for the first three days, then to the day (up to 90 days, beyond that in
one group); the median is the grouped median, interpolated inside the hour (or day) it falls in.
"""
import functools
import math
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from points.earning.models import ClaimStatus, MonthlyDecision
from points.extensions import db
from points.ledger.models import NO_COMMUNITY
from points.ledger.rollup import month_of
from points.timeutil import as_utc

DECISIONS = MonthlyDecision.__table__
HOURLY_UP_TO, LONGEST = 72, 90 * 24
COUNTED = (ClaimStatus.APPROVED, ClaimStatus.REJECTED)


def wait_group(hours):
    """The first hour of the group a wait falls in."""
    if hours < HOURLY_UP_TO:
        return max(0, math.floor(hours))
    return min(LONGEST, HOURLY_UP_TO + 24 * math.floor((hours - HOURLY_UP_TO) / 24))


def group_width(first_hour):
    return 1 if first_hour < HOURLY_UP_TO else 24


def count(community_id, status, submitted_at, decided_at):
    """Count one decision (approved or rejected) in the month it was made."""
    if status not in COUNTED:
        return
    hours = (as_utc(decided_at) - as_utc(submitted_at)).total_seconds() / 3600
    db.session.execute(_upsert(db.session.get_bind().dialect.name), dict(
        month=month_of(decided_at), community_id=community_id or NO_COMMUNITY, status=status.value,
        wait_hours=wait_group(hours), claims=1))


@functools.cache
def _upsert(dialect_name):
    statement = (postgresql if dialect_name == "postgresql" else sqlite).insert(DECISIONS)
    return statement.on_conflict_do_update(
        index_elements=[DECISIONS.c.month, DECISIONS.c.community_id, DECISIONS.c.status, DECISIONS.c.wait_hours],
        set_=dict(claims=DECISIONS.c.claims + statement.excluded.claims))


def per_month(first, last, community_ids=None):
    """{month: (approved, rejected, median wait in hours)} of the months from `first` to `last`."""
    d = DECISIONS.c
    query = (select(d.month, d.status, d.wait_hours, func.sum(d.claims))
             .where(d.month >= first, d.month <= last).group_by(d.month, d.status, d.wait_hours))
    if community_ids is not None:
        query = query.where(d.community_id.in_([c or NO_COMMUNITY for c in community_ids]))
    counts, waits = defaultdict(lambda: defaultdict(int)), defaultdict(lambda: defaultdict(int))
    for month, status, wait_hours, claims in db.session.execute(query):
        counts[month][status] += claims
        waits[month][wait_hours] += claims
    return {month: (c[ClaimStatus.APPROVED.value], c[ClaimStatus.REJECTED.value], grouped_median(waits[month]))
            for month, c in counts.items()}


def grouped_median(groups):
    """{first hour: claims} -> the median wait, interpolated inside its group."""
    total, below = sum(groups.values()), 0
    for first_hour in sorted(groups):
        if below + groups[first_hour] >= total / 2:
            return first_hour + (total / 2 - below) / groups[first_hour] * group_width(first_hour)
        below += groups[first_hour]
    return None
