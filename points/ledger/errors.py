"""What the ledger refuses, each with the code the API answers with."""
from flask_babel import lazy_gettext as _l

from points.errors import KeyReused, Refusal  # noqa: F401


class LedgerError(Refusal):
    code = "ledger_error"
    message = _l("The points could not be moved.")


class InsufficientPoints(LedgerError):
    code = "insufficient_points"
    message = _l("Not enough points available.")


class HoldResolved(LedgerError):
    code = "hold_resolved"
    message = _l("These points on hold have already been settled.")


class NotAHold(LedgerError):
    code = "not_a_hold"
    status = 404
    message = _l("No points on hold were found for this.")


class AlreadyReversed(LedgerError):
    code = "already_reversed"
    message = _l("This entry has already been reversed.")


class NotReversible(LedgerError):
    code = "not_reversible"
    message = _l("This entry cannot be reversed.")


class NoAccount(LedgerError):
    code = "no_account"
    status = 404
    message = _l("This person has no points account.")


class MonthlyLimitReached(LedgerError):
    code = "monthly_limit_reached"
    message = _l("No more points can be passed this month.")


class NotPassable(LedgerError):
    code = "household_refused"
    message = _l("Points can only be passed to another member of your household.")
