"""Recompute every balance and the hash chain from the transfers, and say where they disagree."""
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from points.extensions import db
from points.ledger.chain import effects, transfer_hash
from points.ledger.models import GENESIS_HASH, Account, LedgerHead, Transfer


@dataclass(frozen=True)
class Problem:
    where: str  # "transfer 17", "account 4", "chain head"
    what: str

    def __str__(self):
        return f"{self.where}: {self.what}"


def verify(checkpoints=()):
    """Every problem found, the first one first; an empty list means the books are sound.

    checkpoints: signed chain heads (.sequence, .hash, .made_at, .fingerprint) the history must still lead to.
    """
    problems, totals, last = _walk_chain()
    problems += _compare_checkpoints(checkpoints)
    problems += _compare_accounts(totals)
    problems += _compare_head(*last)
    return problems


def _walk_chain():
    problems = []
    totals = defaultdict(lambda: [0, 0, 0])
    expected_id, prev_hash = 1, GENESIS_HASH
    for row in _transfers_in_order():
        problems += _check_link(row, expected_id, prev_hash)
        for e in effects(row.kind, row.amount, row.debit_account_id, row.credit_account_id,
                         resolves=row.pending_id is not None, reversed_kind=row.reversed_kind):
            total = totals[e.account_id]
            total[0] += e.available
            total[1] += e.held
            total[2] += e.earned
        expected_id, prev_hash = row.id + 1, row.hash
    return problems, totals, (expected_id - 1, prev_hash)


def _transfers_in_order():
    original = aliased(Transfer)
    query = (
        select(Transfer.__table__, original.kind.label("reversed_kind"))
        .outerjoin(original, original.id == Transfer.reverses_id)
        .order_by(Transfer.id)
        .execution_options(yield_per=5000)
    )
    return db.session.execute(query)


def _check_link(row, expected_id, prev_hash):
    where = f"transfer {row.id}"
    if row.id != expected_id:
        return [Problem(where, f"expected transfer {expected_id} here: a transfer is missing")]
    if row.prev_hash != prev_hash:
        return [Problem(where, "does not follow the transfer before it (chain broken)")]
    if row.hash != transfer_hash(prev_hash, row._mapping):
        return [Problem(where, "its contents do not match its hash (changed after it was written)")]
    return []


def _compare_checkpoints(checkpoints):
    """The first checkpoint whose transfer no longer carries the signed hash: the chain was rewritten
    before it. The checkpoint before that one, still matching, says from where."""
    if not checkpoints:
        return []
    ordered = sorted(checkpoints, key=lambda c: c.sequence)
    stored = dict(db.session.execute(
        select(Transfer.id, Transfer.hash).where(Transfer.id.in_({c.sequence for c in ordered}))).all())
    matched = None
    for checkpoint in ordered:
        if stored.get(checkpoint.sequence) != checkpoint.hash:
            return [Problem(f"transfer {checkpoint.sequence}", _not_what_was_signed(checkpoint, matched))]
        matched = checkpoint
    return []


def _not_what_was_signed(checkpoint, matched):
    what = (f"the history up to here is not the one checkpoint {checkpoint.fingerprint} of "
            f"{checkpoint.made_at.isoformat()} signed (rewritten, even if every later hash was recomputed)")
    if matched is None:
        return what
    return (f"{what}; it still matches checkpoint {matched.fingerprint} up to transfer {matched.sequence}, "
            f"so the change lies after transfer {matched.sequence}")


def _compare_accounts(totals):
    problems = []
    grand_total = 0
    for account in db.session.execute(select(Account).order_by(Account.id)).scalars():
        expected = totals.pop(account.id, [0, 0, 0])
        stored = [account.available, account.held, account.earned_total]
        grand_total += account.available + account.held
        if stored != expected:
            problems.append(Problem(
                f"account {account.id}",
                f"stored available/held/earned {stored} but the transfers give {expected}",
            ))
    problems += [Problem(f"account {a}", "transfers name an account that does not exist") for a in totals]
    if grand_total != 0:
        problems.append(Problem("all accounts", f"balances sum to {grand_total}, not zero"))
    return problems


def _compare_head(last_id, last_hash):
    head = db.session.get(LedgerHead, 1)
    if head is None:
        return [Problem("chain head", "missing")]
    if (head.seq, head.last_hash) != (last_id, last_hash):
        return [Problem("chain head", f"names transfer {head.seq} as the last, the table ends at {last_id}")]
    return []
