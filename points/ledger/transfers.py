"""Writing transfers. Nothing else in the project inserts a transfer or changes a balance.

Every write first locks the chain head (one row), so ledger writes are serialised: the checks made
after the lock see every earlier write, the ids come out gapless and each hash names its
predecessor. The database backs each rule with a constraint as well (non-negative balances, one
resolution per hold, one reversal per transfer, unique idempotency keys).
"""
import functools
from dataclasses import asdict, dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, case, exists, func, insert, or_, select, update

from points.extensions import db
from points.ledger import rollup
from points.ledger.chain import effects, transfer_hash
from points.ledger.errors import (
    AlreadyReversed, HoldResolved, InsufficientPoints, KeyReused, MonthlyLimitReached, NoAccount, NotAHold,
    NotPassable, NotReversible,
)
from points.ledger.models import (
    DEDUCTION_ACCOUNT, ISSUANCE_ACCOUNT, Account, AccountKind, LedgerHead, Transfer, TransferKind,
)
from points.timeutil import now_utc

TRANSFERS = Transfer.__table__
ACCOUNTS = Account.__table__
HEAD = LedgerHead.__table__
REVERSIBLE = {TransferKind.AWARD, TransferKind.DEDUCTION, TransferKind.REDEMPTION, TransferKind.ADJUSTMENT}


@dataclass(frozen=True)
class Memo:
    """Why points move and on whose word; recorded on the transfer."""

    reason: str = ""
    category: str | None = None
    requested_by: int | None = None
    approved_by: int | None = None
    ref_type: str | None = None
    ref_id: int | None = None


@dataclass(frozen=True)
class Record:
    """A transfer as written (a plain value: the ledger hands out no live rows)."""

    id: int
    kind: TransferKind
    amount: int
    debit_account_id: int
    credit_account_id: int
    pending_id: int | None
    reverses_id: int | None
    idempotency_key: str
    reason: str
    category: str | None
    requested_by: int | None
    approved_by: int | None
    ref_type: str | None
    ref_id: int | None
    created_at: object
    prev_hash: str
    hash: str


def award(user_id, amount, key, memo=Memo()):
    """Points from issuance to a resident; they count towards the resident's earned total."""
    account = account_of(user_id)
    return _move(TransferKind.AWARD, ISSUANCE_ACCOUNT, account, amount, key, memo)


def deduct(user_id, amount, key, memo=Memo()):
    """Points taken from a resident for a deduction item; refused beyond the available balance."""
    account = account_of(user_id)
    return _move(TransferKind.DEDUCTION, account, DEDUCTION_ACCOUNT, amount, key, memo)


def hold(user_id, venue_id, amount, key, memo=Memo()):
    """Put a resident's points on hold for a venue; post or void resolves it, once."""
    debit, credit = account_of(user_id), venue_account_of(venue_id)
    return _move(TransferKind.HOLD, debit, credit, amount, key, memo)


def redeem(user_id, venue_id, amount, key, memo=Memo()):
    """Spend points at a venue at once (a walk-in), without a hold."""
    debit, credit = account_of(user_id), venue_account_of(venue_id)
    return _move(TransferKind.REDEMPTION, debit, credit, amount, key, memo)


def pass_points(giver_id, receiver_id, amount, key, memo=Memo(), *, monthly_limit=None):
    """Points from one resident to another of the same community (of one household: the caller's
    rule). Refused beyond the giver's available balance and beyond `monthly_limit` given in this
    month, counted under the lock so that two passes at once cannot both slip under it. The earned
    totals stay where they were."""
    debit, credit = account_of(giver_id), account_of(receiver_id)

    def within_limit():
        communities = rollup.communities_of([debit, credit])
        if len(communities) != 2 or communities[debit] != communities[credit]:
            # The monthly totals keep no line for a transfer: it must leave each community's sum as it was.
            raise NotPassable()
        given = passed_this_month(giver_id)
        if monthly_limit is not None and given + amount > monthly_limit:
            raise MonthlyLimitReached(
                _l("At most %(limit)d points can be passed a month; %(left)d are left this month.",
                   limit=monthly_limit, left=max(monthly_limit - given, 0)), limit=monthly_limit)

    return _move(TransferKind.TRANSFER, debit, credit, amount, key, memo, check=within_limit)


def passed_this_month(user_id):
    """The points this person passed to others in the scheme's current month (one index range of
    their own account's debits)."""
    start, end = rollup.month_range(rollup.month_of(now_utc()))
    query = select(func.coalesce(func.sum(TRANSFERS.c.amount), 0)).where(
        TRANSFERS.c.debit_account_id == account_of(user_id), TRANSFERS.c.kind == TransferKind.TRANSFER.value,
        TRANSFERS.c.created_at >= start, TRANSFERS.c.created_at < end)
    return int(db.session.execute(query).scalar())


def post(hold_id, key, memo=Memo()):
    """Complete a hold: the held points go to the venue."""
    return _resolve(hold_id, TransferKind.REDEMPTION, key, memo)


def void(hold_id, key, memo=Memo()):
    """Cancel a hold: the held points become available to the resident again."""
    return _resolve(hold_id, TransferKind.RELEASE, key, memo)


def reverse(transfer_id, key, memo=Memo()):
    """Undo a posted transfer with its mirror image; each transfer can be reversed once."""
    head = _lock_head()
    earlier, original, reversed_already = _lookup(key, transfer_id, TRANSFERS.c.reverses_id)
    if earlier:
        return _replay(earlier, kind=TransferKind.REVERSAL, reverses_id=transfer_id)
    if original is None or not reversible(original["kind"], original["pending_id"]):
        raise NotReversible()
    if reversed_already:
        raise AlreadyReversed()
    return _write(
        head, TransferKind.REVERSAL, original["credit_account_id"], original["debit_account_id"],
        original["amount"], key, memo, reverses_id=transfer_id, reversed_kind=original["kind"],
    )


def reversible(kind, pending_id):
    """Awards, deductions, walk-in redemptions and adjustments; not a hold nor what settles one."""
    return kind in REVERSIBLE and pending_id is None


def _move(kind, debit, credit, amount, key, memo, check=None):
    head = _lock_head()
    earlier = db.session.execute(BY_KEY, {"key": key}).mappings().first()
    if earlier:
        return _replay(earlier, kind=kind, amount=amount, debit_account_id=debit, credit_account_id=credit)
    if check is not None:
        check()  # a rule over earlier writes, read after the lock
    return _write(head, kind, debit, credit, amount, key, memo)


def _resolve(hold_id, kind, key, memo):
    head = _lock_head()
    earlier, pending, resolved_already = _lookup(key, hold_id, TRANSFERS.c.pending_id)
    if earlier:
        return _replay(earlier, kind=kind, pending_id=hold_id)
    if pending is None or pending["kind"] != TransferKind.HOLD:
        raise NotAHold()
    if resolved_already:
        raise HoldResolved()
    return _write(
        head, kind, pending["debit_account_id"], pending["credit_account_id"], pending["amount"], key, memo,
        pending_id=hold_id,
    )


# Every statement of a write is built once: on this hot path (a check-in posts a hold), building a
# statement costs more than the database takes to run it.
LOCK_HEAD = select(HEAD.c.seq, HEAD.c.last_hash).where(HEAD.c.id == 1).with_for_update()
BY_KEY = select(TRANSFERS).where(TRANSFERS.c.idempotency_key == bindparam("key"))
INSERT = insert(TRANSFERS)
MOVE_HEAD = update(HEAD).where(HEAD.c.id == 1).values(seq=bindparam("seq"), last_hash=bindparam("last_hash"))


def _lock_head():
    """Take the ledger's write lock; returns (last id, last hash).

    Everything the write then reads is read by later statements, which on PostgreSQL see what the
    previous holder of the lock committed (a join in this statement would not).
    """
    return db.session.execute(LOCK_HEAD).one()


@functools.cache
def _lookup_statement(link):
    return select(TRANSFERS).where(or_(
        TRANSFERS.c.idempotency_key == bindparam("key"), TRANSFERS.c.id == bindparam("id"),
        TRANSFERS.c[link] == bindparam("id"),
    ))


def _lookup(key, transfer_id, link):
    """In one statement: the transfer written under this key, the transfer named, and whether
    another transfer already resolves (or reverses) it through `link`."""
    query = _lookup_statement(link.name)
    rows = db.session.execute(query, {"key": key, "id": transfer_id}).mappings().all()
    earlier = next((row for row in rows if row["idempotency_key"] == key), None)
    named = next((row for row in rows if row["id"] == transfer_id), None)
    return earlier, named, any(row[link.name] == transfer_id for row in rows)


def _replay(earlier, **request):
    """The transfer already written under this key, if it answers the same request."""
    if any(earlier[name] != value for name, value in request.items()):
        raise KeyReused()
    return Record(**earlier)


def _write(head, kind, debit, credit, amount, key, memo, *, pending_id=None, reverses_id=None,
           reversed_kind=None):
    resolves = pending_id is not None
    changes = effects(kind, amount, debit, credit, resolves=resolves, reversed_kind=reversed_kind)
    _apply(changes)
    row = dict(
        id=head.seq + 1, kind=kind, amount=amount, debit_account_id=debit, credit_account_id=credit,
        pending_id=pending_id, reverses_id=reverses_id, idempotency_key=key, created_at=now_utc(),
        prev_hash=head.last_hash, **asdict(memo),
    )
    row["hash"] = transfer_hash(head.last_hash, row)
    db.session.execute(INSERT, row)
    db.session.execute(MOVE_HEAD, {"seq": row["id"], "last_hash": row["hash"]})
    rollup.record(kind, changes, row["created_at"], memo.category, debit, credit)
    return Record(**row)


def _apply(changes):
    """Change the accounts' balances in one statement that moves all of them or none: it refuses
    to take any resident below zero, and then nothing is written, so even a caller that catches
    the refusal and commits what else it did leaves the books balanced."""
    values = {}
    for n, change in enumerate(changes):
        values |= {f"account{n}": change.account_id, f"available{n}": change.available,
                   f"held{n}": change.held, f"earned{n}": change.earned}
    if db.session.execute(_apply_statement(len(changes)), values).rowcount != len(changes):
        raise InsufficientPoints()


@functools.cache
def _apply_statement(accounts):
    """UPDATE accounts for a transfer touching this many accounts, with parameters account0,
    available0, held0, earned0, account1, ..."""
    ids = [bindparam(f"account{n}") for n in range(accounts)]

    def delta(table, field):
        whens = [(table.c.id == bindparam(f"account{n}"), bindparam(f"{field}{n}")) for n in range(accounts)]
        return case(*whens, else_=0)

    a, other = ACCOUNTS, ACCOUNTS.alias("other")
    overdrawn = exists().where(
        other.c.id.in_(ids), other.c.kind == AccountKind.RESIDENT.value,
        other.c.available + delta(other, "available") < 0,
    )
    return (
        update(ACCOUNTS)
        .where(a.c.id.in_(ids), ~overdrawn)
        .values(
            available=a.c.available + delta(a, "available"),
            held=a.c.held + delta(a, "held"),
            earned_total=a.c.earned_total + delta(a, "earned"),
        )
    )


def carry_balance(user_id, old_community_id, new_community_id):
    """A person moving to another community takes their balance along in the monthly totals."""
    _lock_head()
    account = db.session.execute(select(ACCOUNTS.c.id, ACCOUNTS.c.available + ACCOUNTS.c.held)
                                 .where(ACCOUNTS.c.user_id == user_id)).first()
    if account is not None:
        rollup.move_balance(account[0], account[1], old_community_id, new_community_id, now_utc())


def account_of(user_id):
    """The id of a person's points account."""
    account = db.session.execute(select(ACCOUNTS.c.id).where(ACCOUNTS.c.user_id == user_id)).scalar()
    if account is None:
        raise NoAccount()
    return account


def venue_account_of(venue_id):
    account = db.session.execute(select(ACCOUNTS.c.id).where(ACCOUNTS.c.venue_id == venue_id)).scalar()
    if account is None:
        raise NoAccount()
    return account


def open_account(user_id):
    """Give a person a points account (every user has one; only residents earn)."""
    db.session.execute(insert(ACCOUNTS).values(kind=AccountKind.RESIDENT.value, user_id=user_id, created_at=now_utc()))


def open_venue_account(venue_id):
    db.session.execute(insert(ACCOUNTS).values(kind=AccountKind.VENUE.value, venue_id=venue_id, created_at=now_utc()))


