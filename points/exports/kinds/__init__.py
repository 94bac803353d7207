"""The kinds of export: for each, its columns, a streaming query, and how a row reads to a clerk.

A kind's query is SQLAlchemy Core over the tables (no ORM objects), read `yield_per` rows at a time
through a server-side cursor, so however many rows it finds memory holds one batch. Its `cells`
turns a row into what a clerk understands: names, community names, labels in the reader's
language, times in the scheme's zone.
"""
from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text

from points.accounts.models import Role
from points.errors import Forbidden, NotFound
from points.exports.kinds import activities, audit, bookings, claims, ledger, statement, transfers

YIELD_PER = 5000


@dataclass(frozen=True)
class Kind:
    name: str  # in URLs and file names: "transfers"
    label: object
    header: Callable  # () -> the column headers, in the reader's language
    query: Callable | None  # (scope) -> a Core select
    cells: Callable | None  # (scope) -> a function from a row to its cells
    admin_only: bool = False
    generate: Callable | None = None  # (scope) -> the rows, for a kind made of a few computed lines
    expected: Callable | None = None  # (scope) -> about how many rows `generate` makes


KINDS = {kind.name: kind for kind in (
    Kind("transfers", _l("Transfers"), transfers.header, transfers.query, transfers.cells),
    Kind("residents", _l("Residents and balances"), ledger.resident_header, ledger.residents, ledger.resident_cells),
    Kind("claims", _l("Claims"), claims.header, claims.query, claims.cells),
    Kind("bookings", _l("Bookings and check-ins"), bookings.header, bookings.query, bookings.cells),
    Kind("activities", _l("Activities and participants"), activities.header, activities.query, activities.cells),
    Kind("audit", _l("Audit log"), audit.header, audit.query, audit.cells, admin_only=True),
    Kind("statement", _l("Monthly statement"), statement.header, None, None, generate=statement.generate,
         expected=statement.expected),
)}


def kind_named(name, viewer):
    """The kind called `name` that `viewer` may export: 404 for an unknown kind, 403 for one beyond the role."""
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound(_l("No such export."), field="kind")
    if kind.admin_only and not viewer.has_role(Role.ADMIN):
        raise Forbidden(_l("Only admins can export this."))
    return kind


def rows(session, kind, scope):
    """The kind's rows as clerk-readable lists, streamed in batches of YIELD_PER."""
    if kind.generate is not None:
        yield from kind.generate(scope)
        return
    shape = kind.cells(scope)
    if session.get_bind().dialect.name == "postgresql":
        # A cursor is planned for its first rows (nested loops); an export reads every row: plan for all.
        session.execute(text("SET LOCAL cursor_tuple_fraction = 1.0"))
    result = session.execute(kind.query(scope).execution_options(yield_per=YIELD_PER))
    for batch in result.partitions():
        for row in batch:
            yield shape(row)


def count(session, kind, scope):
    """How many rows the export will have (for progress, and to decide whether it runs in the background)."""
    if kind.expected is not None:
        return kind.expected(scope)
    return session.execute(select(func.count()).select_from(kind.query(scope).order_by(None).subquery())).scalar_one()
