"""The dashboard's claim counts and median wait, kept as claims are decided."""
import pytest

from points.earning.decision_totals import grouped_median, wait_group


@pytest.mark.parametrize("hours, group", [(0.2, 0), (5.9, 5), (71.9, 71), (72, 72), (100, 96), (24 * 400, 90 * 24)])
def test_a_wait_is_grouped_by_the_hour_then_by_the_day(hours, group):
    assert wait_group(hours) == group


def test_the_median_falls_inside_its_hour():
    assert grouped_median({1: 1, 2: 1, 30: 1}) == 2.5  # the middle claim waited 2 to 3 hours
    assert grouped_median({96: 4}) == 96 + 12  # four claims in the fifth day: the median is mid-day
    assert grouped_median({}) is None
