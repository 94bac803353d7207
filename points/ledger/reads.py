"""Reading the ledger: balances from the account row (O(1)), history by keyset pagination."""
from dataclasses import dataclass, replace

from sqlalchemy import select, union_all
from sqlalchemy.orm import aliased

from points.extensions import db
from points.ledger.models import Account, Transfer, TransferKind
from points.ledger.transfers import reversible


@dataclass(frozen=True)
class Balance:
    available: int
    held: int
    earned_total: int


@dataclass(frozen=True)
class Line:
    """One line of a person's history: the transfer and what it did to their balance."""

    transfer: Transfer
    change: int  # + points in, - points out of the available balance
    open_hold: bool  # a hold not yet posted or voided
    reversed_by: int | None = None  # the id of the reversal that undid this transfer
    reverses: Transfer | None = None  # what a reversal undid
    settled_by: TransferKind | None = None  # one line per booking: how its hold was resolved, if it was

    @property
    def reversible(self):
        return self.reversed_by is None and reversible(self.transfer.kind, self.transfer.pending_id)

    @property
    def hold_state(self):
        """held / used / released for a hold's line (used and released when it carries its settlement)."""
        if self.transfer.kind != TransferKind.HOLD:
            return None
        return "held" if self.open_hold else HOLD_STATES.get(self.settled_by)


HOLD_STATES = {TransferKind.REDEMPTION: "used", TransferKind.RELEASE: "released"}


def balance(user_id):
    row = db.session.execute(
        select(Account.available, Account.held, Account.earned_total).where(Account.user_id == user_id)
    ).first()
    return Balance(*row) if row else Balance(0, 0, 0)


def history(user_id, limit=20, before=None, one_line_per_booking=False):
    """The newest transfers touching a person's account, older than the id `before`.

    With one_line_per_booking, what settles a hold (its post or void) is no line of its own: the
    hold's line carries it (`settled_by`) and the net change, which a resident reads as one booking."""
    account = db.session.execute(select(Account.id).where(Account.user_id == user_id)).scalar()
    if account is None:
        return []
    ids = _newest_ids(account, limit, before, without_settlements=one_line_per_booking)
    if not ids:
        return []
    resolution, reversal, original = aliased(Transfer), aliased(Transfer), aliased(Transfer)
    rows = db.session.execute(
        select(Transfer, resolution.id, resolution.kind, reversal.id, original)
        .outerjoin(resolution, resolution.pending_id == Transfer.id)
        .outerjoin(reversal, reversal.reverses_id == Transfer.id)
        .outerjoin(original, original.id == Transfer.reverses_id)
        .where(Transfer.id.in_(ids))
        .order_by(Transfer.id.desc())
    ).all()
    lines = []
    for transfer, resolved, resolved_as, reversed_by, reverses in rows:
        line = replace(_line(account, transfer, resolved), reversed_by=reversed_by, reverses=reverses)
        if one_line_per_booking and resolved_as is not None:
            line = replace(line, settled_by=resolved_as, change=0 if resolved_as == TransferKind.RELEASE else line.change)
        lines.append(line)
    return lines


def _newest_ids(account, limit, before, without_settlements=False):
    """Both sides of the account, each read from its own index, newest first.

    Leaving settlements out keeps the pages keyset-paged: each hold has at most one, so a page
    reads at most twice its length of index entries."""
    sides = []
    for column in (Transfer.debit_account_id, Transfer.credit_account_id):
        query = select(Transfer.id).where(column == account)
        if before is not None:
            query = query.where(Transfer.id < before)
        if without_settlements:
            query = query.where(Transfer.pending_id.is_(None))
        sides.append(query.order_by(Transfer.id.desc()).limit(limit).subquery().select())
    merged = union_all(*sides).subquery()
    query = select(merged.c.id).order_by(merged.c.id.desc()).limit(limit)
    return list(db.session.execute(query).scalars())


def _line(account, transfer, resolved_by):
    if transfer.kind == TransferKind.HOLD:
        return Line(transfer, -transfer.amount, open_hold=resolved_by is None)
    if transfer.pending_id is not None:
        # Posting a hold moves nothing available; voiding one gives the points back.
        change = transfer.amount if transfer.kind == TransferKind.RELEASE else 0
        return Line(transfer, change, open_hold=False)
    sign = 1 if transfer.credit_account_id == account else -1
    return Line(transfer, sign * transfer.amount, open_hold=False)
