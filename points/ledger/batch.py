"""Writing many transfers at once: the opening balances of an import, a year-end expiry run.

The rules are those of one transfer at a time (transfers.py): the chain head is locked first, ids
follow on without gaps, each hash names its predecessor, balances change by the same effects the
verifier recomputes, and a key already written is not written again. What differs is the cost: the
head is locked once, every check is made before the first write, and rows go in by the thousand,
so 50,000 opening balances take seconds rather than minutes.
"""
from collections import defaultdict
from dataclasses import asdict, dataclass

from sqlalchemy import insert, select, update

from points.extensions import db
from points.ledger import rollup
from points.ledger.chain import effects, transfer_hash
from points.ledger.errors import InsufficientPoints, KeyReused
from points.ledger.models import OPENING_ACCOUNT, AccountKind, TransferKind
from points.ledger.transfers import ACCOUNTS, MOVE_HEAD, TRANSFERS, Memo, _lock_head
from points.timeutil import now_utc

CHUNK = 1000  # rows per statement: well under SQLite's and PostgreSQL's parameter limits


@dataclass(frozen=True)
class Move:
    """One transfer of a batch: points from the debit account to the credit account, under a key."""

    debit: int
    credit: int
    amount: int
    key: str
    memo: Memo = Memo()


def write_many(kind, moves):
    """Write these posted transfers (not holds nor what resolves one) in one go; returns how many.

    A move whose key is already written is skipped if it asks for the same thing (KeyReused if
    not). If any resident would go below zero nothing is written (InsufficientPoints)."""
    head = _lock_head()
    moves = _not_yet_written(kind, moves)
    changes = _balance_changes(kind, moves)
    _refuse_overdraft(changes)
    seq, last_hash = head.seq, head.last_hash
    created_at = now_utc()
    for chunk in _chunks(moves):
        rows = []
        for move in chunk:
            seq += 1
            row = dict(
                id=seq, kind=kind, amount=move.amount, debit_account_id=move.debit, credit_account_id=move.credit,
                pending_id=None, reverses_id=None, idempotency_key=move.key, created_at=created_at,
                prev_hash=last_hash, **asdict(move.memo),
            )
            row["hash"] = last_hash = transfer_hash(last_hash, row)
            rows.append(row)
        db.session.execute(insert(TRANSFERS), rows)
    _apply_changes(changes)
    if moves:
        db.session.execute(MOVE_HEAD, {"seq": seq, "last_hash": last_hash})
        rollup.record_many(kind, moves, created_at)
    return len(moves)


def opening_balances(entries, memo=Memo()):
    """Points a resident held on paper, as an `adjustment` from the opening-balances account; counted
    in their earned total. One per account ever: an account that has one is skipped."""
    entries = list(entries)
    already = has_opening_balance([account for account, _points in entries])
    moves = [Move(OPENING_ACCOUNT, account, points, _opening_key(account), memo)
             for account, points in entries if points > 0 and account not in already]
    return write_many(TransferKind.ADJUSTMENT, moves)


def has_opening_balance(account_ids):
    """The accounts among these that already received their opening balance."""
    found = set()
    for chunk in _chunks(list(account_ids)):
        keys = [_opening_key(account) for account in chunk]
        query = select(TRANSFERS.c.credit_account_id).where(TRANSFERS.c.idempotency_key.in_(keys))
        found.update(db.session.execute(query).scalars())
    return found


def open_accounts(user_ids):
    """Points accounts for many new people at once; returns {user_id: account_id}."""
    user_ids = list(user_ids)
    accounts = {}
    for chunk in _chunks(user_ids):
        now = now_utc()
        db.session.execute(insert(ACCOUNTS), [
            dict(kind=AccountKind.RESIDENT.value, user_id=user_id, created_at=now) for user_id in chunk])
        query = select(ACCOUNTS.c.user_id, ACCOUNTS.c.id).where(ACCOUNTS.c.user_id.in_(chunk))
        accounts.update((user_id, account) for user_id, account in db.session.execute(query))
    return accounts


def _opening_key(account):
    return f"opening:{account}"


def _not_yet_written(kind, moves):
    """The moves whose keys are new; a key already written must have asked for the same transfer."""
    by_key = {}
    for move in moves:
        if by_key.setdefault(move.key, move) != move:
            raise KeyReused()
    fresh = []
    for chunk in _chunks(list(by_key.values())):
        query = select(TRANSFERS).where(TRANSFERS.c.idempotency_key.in_([move.key for move in chunk]))
        written = {row["idempotency_key"]: row for row in db.session.execute(query).mappings()}
        for move in chunk:
            earlier = written.get(move.key)
            if earlier is None:
                fresh.append(move)
            elif (earlier["kind"], earlier["amount"], earlier["debit_account_id"], earlier["credit_account_id"]) != (
                    kind, move.amount, move.debit, move.credit):
                raise KeyReused()
    return fresh


def _balance_changes(kind, moves):
    """{account id: [available, held, earned]} summed over every move."""
    changes = defaultdict(lambda: [0, 0, 0])
    for move in moves:
        for effect in effects(kind, move.amount, move.debit, move.credit):
            change = changes[effect.account_id]
            change[0] += effect.available
            change[1] += effect.held
            change[2] += effect.earned
    return changes


def _refuse_overdraft(changes):
    """Before anything is written: no resident may end below zero (the CHECK on accounts backs this)."""
    taking = [account for account, change in changes.items() if change[0] < 0]
    for chunk in _chunks(taking):
        query = select(ACCOUNTS.c.id, ACCOUNTS.c.available).where(
            ACCOUNTS.c.id.in_(chunk), ACCOUNTS.c.kind == AccountKind.RESIDENT.value)
        for account, available in db.session.execute(query):
            if available + changes[account][0] < 0:
                raise InsufficientPoints()


def _apply_changes(changes):
    """One UPDATE per distinct change (many residents open with the same balance), not one per account."""
    accounts_by_change = defaultdict(list)
    for account, change in changes.items():
        accounts_by_change[tuple(change)].append(account)
    for (available, held, earned), accounts in accounts_by_change.items():
        for chunk in _chunks(accounts):
            db.session.execute(update(ACCOUNTS).where(ACCOUNTS.c.id.in_(chunk)).values(
                available=ACCOUNTS.c.available + available, held=ACCOUNTS.c.held + held,
                earned_total=ACCOUNTS.c.earned_total + earned))


def _chunks(items):
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]
