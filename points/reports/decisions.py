"""Claims decided per month: how many were approved and rejected, and how long review took (median),
read from the counts kept as claims are decided (points.earning.decision_totals)."""
from dataclasses import dataclass

from points.earning import decision_totals


@dataclass(frozen=True)
class Decided:
    approved: int = 0
    rejected: int = 0
    median_hours: float | None = None  # from submission to decision; None when nothing was decided


NONE = Decided()


def per_month(first, last, community_ids=None):
    """{month: Decided} for the months from `first` to `last`, by the month of the decision."""
    return {month: Decided(approved, rejected, None if median is None else round(median, 1))
            for month, (approved, rejected, median) in
            decision_totals.per_month(first, last, community_ids).items()}
