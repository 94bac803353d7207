"""Year-end expiry: what a clearing takes from each resident, read from the ledger, and the transfers taking it.

No lots are kept. Spending uses the oldest points first, so the points still available that were
earned before a moment `since` are the available balance less what came in since then (awards and
opening balances, net of reversals of those), never below zero:

    year_end        since = the end of the day of clearing: everything available then expires
    year_end_next   since = 1 January of the year: what is left of earlier years expires

Held points are not in the available balance, so a clearing never touches them.
"""
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from points.extensions import db
from points.ledger.batch import Move, write_many
from points.ledger.models import EXPIRY_ACCOUNT, OPENING_ACCOUNT, Account, AccountKind, Transfer, TransferKind
from points.ledger.transfers import _lock_head


@dataclass(frozen=True)
class Expired:
    residents: int
    points: int


def expiring(since, account_id=None):
    """SELECT account_id, user_id, points: each resident account with points to expire (> 0).

    Set-based: two GROUP BYs over the transfers since `since`; with `account_id`, only that account's
    rows, read through its indexes."""
    earned, unearned = _earned_since(since, account_id), _reversed_since(since, account_id)
    points = Account.available - func.coalesce(earned.c.points, 0) + func.coalesce(unearned.c.points, 0)
    query = (
        select(Account.id.label("account_id"), Account.user_id, points.label("points"))
        .outerjoin(earned, earned.c.account_id == Account.id)
        .outerjoin(unearned, unearned.c.account_id == Account.id)
        .where(Account.kind == AccountKind.RESIDENT, Account.available > 0, points > 0)
    )
    if account_id is not None:
        query = query.where(Account.id == account_id)
    return query


def expiring_for(account_id, since):
    """The points one resident's account would lose to a clearing with this `since` (0 if none)."""
    row = db.session.execute(expiring(since, account_id)).first()
    return row.points if row else 0


def expire(period, since, memo):
    """Move every resident's expiring points to the expiry account, under keys of this period (a key
    already written is not written again). Returns what was written."""
    _lock_head()  # before reading the balances, so none changes between the reading and the writing
    rows = db.session.execute(expiring(since)).all()
    moves = [Move(row.account_id, EXPIRY_ACCOUNT, row.points, f"expiry:{period}:{row.account_id}", memo)
             for row in rows]
    written = write_many(TransferKind.EXPIRY, moves)
    # A period is cleared once (expiry_runs), so the keys are new unless the very same run is retried.
    return Expired(residents=written, points=sum(move.amount for move in moves) if written else 0)


def _earning(transfer):
    """Transfers that count as earned: awards, and opening balances (from the opening-balances account)."""
    return or_(transfer.kind == TransferKind.AWARD,
               and_(transfer.kind == TransferKind.ADJUSTMENT, transfer.debit_account_id == OPENING_ACCOUNT))


def _earned_since(since, account_id):
    query = (select(Transfer.credit_account_id.label("account_id"), func.sum(Transfer.amount).label("points"))
             .where(_earning(Transfer), Transfer.created_at >= since)
             .group_by(Transfer.credit_account_id))
    if account_id is not None:
        query = query.where(Transfer.credit_account_id == account_id)
    return query.subquery("earned")


def _reversed_since(since, account_id):
    """Reversals of what was earned since then: those points were never really earned."""
    original = aliased(Transfer)
    query = (select(Transfer.debit_account_id.label("account_id"), func.sum(Transfer.amount).label("points"))
             .join(original, original.id == Transfer.reverses_id)
             .where(Transfer.kind == TransferKind.REVERSAL, Transfer.created_at >= since,
                    _earning(original), original.created_at >= since)
             .group_by(Transfer.debit_account_id))
    if account_id is not None:
        query = query.where(Transfer.debit_account_id == account_id)
    return query.subquery("unearned")

