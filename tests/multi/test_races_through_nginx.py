"""The race tests of tests/redemption/races and tests/concurrency, sent through nginx to two instances.

The same tests, imported: here the racing requests are answered by four gunicorn workers in two working
copies, so exactly-once rests on the database alone, as it must with several instances.
"""
import pytest

from tests.concurrency.test_concurrent_deductions import (
    test_racing_deductions_take_exactly_what_is_there,  # noqa: F401
)
from tests.redemption.races.test_races import (  # noqa: F401
    test_bookings_beyond_capacity_stop_at_the_capacity,
    test_bookings_beyond_the_balance_stop_at_what_it_covers,
    test_forty_scans_of_one_ticket_check_in_once,
)

pytestmark = [pytest.mark.postgres, pytest.mark.multi]
