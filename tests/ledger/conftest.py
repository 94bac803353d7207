"""Fixtures for the ledger's tests: venues with accounts, a snapshot of the whole books, superuser writes."""
import itertools

import pytest
from sqlalchemy import func, select, text

from points import ledger
from points.extensions import db
from points.redemption.models import Venue

_venue_numbers = itertools.count(1)


@pytest.fixture
def make_venue(app):
    """make_venue(kind="乒乓球馆") -> a committed Venue with its points account."""

    def make(kind="乒乓球馆"):
        venue = Venue(name=f"{kind}{next(_venue_numbers)}", kind=kind)
        db.session.add(venue)
        db.session.flush()
        ledger.open_venue_account(venue.id)
        db.session.commit()
        return venue

    return make


@pytest.fixture
def snapshot(app):
    """snapshot() -> (number of transfers, every account's available/held/earned): what a refusal must not change."""

    def take():
        count = db.session.scalar(select(func.count()).select_from(ledger.Transfer))
        rows = db.session.execute(
            select(ledger.Account.id, ledger.Account.available, ledger.Account.held, ledger.Account.earned_total)
            .order_by(ledger.Account.id)
        ).all()
        return count, [tuple(row) for row in rows]

    return take


def behind_the_triggers():
    """What a database superuser can do: switch off the triggers that keep transfers append-only."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ALTER TABLE transfers DISABLE TRIGGER USER"))
    else:
        for change in ("update", "delete"):
            db.session.execute(text(f"DROP TRIGGER IF EXISTS transfers_no_{change}"))


@pytest.fixture
def superuser_write(app):
    """superuser_write(statement, **params): a write to the ledger's tables as a database superuser makes
    it, past the append-only triggers (migration 0005, if there yet); the caller commits."""

    def write(statement, **params):
        behind_the_triggers()
        db.session.execute(text(statement) if isinstance(statement, str) else statement, params)

    return write
