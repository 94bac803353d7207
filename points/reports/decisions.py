"""Claims decided per month: how many were approved and rejected, and how long review took (median)."""
from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from sqlalchemy import select

from points.earning.models import Claim, ClaimStatus
from points.extensions import db
from points.ledger import rollup
from points.timeutil import as_utc

DECIDED = (ClaimStatus.APPROVED, ClaimStatus.REJECTED)


@dataclass(frozen=True)
class Decided:
    approved: int = 0
    rejected: int = 0
    median_hours: float | None = None  # from submission to decision; None when nothing was decided


NONE = Decided()


def per_month(first, last, community_ids=None):
    """{month: Decided} for the months from `first` to `last`, by the month of the decision."""
    start, end = rollup.month_range(first)[0], rollup.month_range(last)[1]
    query = select(Claim.status, Claim.created_at, Claim.decided_at).where(
        Claim.status.in_(DECIDED), Claim.decided_at >= start, Claim.decided_at < end,
    )
    if community_ids is not None:
        query = query.where(Claim.community_id.in_(community_ids))
    waits, counts = defaultdict(list), defaultdict(lambda: dict.fromkeys(DECIDED, 0))
    for status, created_at, decided_at in db.session.execute(query):
        month = rollup.month_of(decided_at)
        counts[month][status] += 1
        waits[month].append((as_utc(decided_at) - as_utc(created_at)).total_seconds() / 3600)
    return {month: Decided(count[ClaimStatus.APPROVED], count[ClaimStatus.REJECTED], round(median(waits[month]), 1))
            for month, count in counts.items()}
