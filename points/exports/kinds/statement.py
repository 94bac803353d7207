"""The monthly statement as a spreadsheet: a line per month and community (and the street's total),
from points.reports.statement, which reads the ledger's monthly totals, never the transfers."""
from flask_babel import gettext as _

from points.exports.street import TheStreet
from points.ledger import rollup
from points.reports import statement as statements

LINES = ("opening", "awarded", "deducted", "redeemed", "expired", "reversed", "adjusted", "moved")
DEFAULT_MONTHS = 12  # with no days given: the last twelve months, this one included


def header():
    return [_("Month"), _("Community"), _("Opening balance"), _("Awarded"), _("Deducted"), _("Redeemed"),
            _("Expired"), _("Corrections"), _("Adjustments"), _("Moved between communities"),
            _("Closing balance")]


def months(scope):
    """The months the scope's days touch; the last twelve when it names none."""
    last = scope.last_day.strftime("%Y-%m") if scope.last_day else statements.current_month()
    first = scope.first_day.strftime("%Y-%m") if scope.first_day else rollup.shift_month(last, 1 - DEFAULT_MONTHS)
    month = first
    while month <= last:
        yield month
        month = rollup.shift_month(month, 1)


def generate(scope):
    """Each month's statement: its communities and the street's total, or the one community's."""
    community_id = scope.community_ids[0] if scope.community_ids else None
    for month in months(scope):
        made = statements.monthly(TheStreet(), month, community_id)  # the reach is decided
        for part in made.communities:
            yield _line(part, part.name)
        yield _line(made, made.name if community_id else _("The whole street (%(name)s)", name=made.name))


def expected(scope):
    return sum(1 for _month in months(scope))


def _line(statement, name):
    return [statement.month, name, *(getattr(statement, line) for line in LINES), statement.closing]
