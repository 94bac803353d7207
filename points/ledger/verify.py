"""Recompute every balance, the hash chain and the monthly totals from the transfers, and say where
they disagree."""
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from points.accounts.models import User
from points.extensions import db
from points.ledger import rollup
from points.ledger.chain import effects, transfer_hash
from points.ledger.models import GENESIS_HASH, NO_COMMUNITY, Account, AccountKind, LedgerHead, Transfer


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
    tally = rollup.Tally(rollup.resident_communities(db.session))
    problems, totals, last = _walk_chain(tally)
    problems += _compare_checkpoints(checkpoints)
    problems += _compare_accounts(totals)
    problems += _compare_head(*last)
    problems += _compare_monthly_totals(tally)
    return problems


def recomputed_balances(until=None):
    """{account: available + held} replayed from the transfers written before `until` (all by default)."""
    balances = defaultdict(int)
    for row in _transfers_in_order(db.session):
        if until is None or row.created_at < until:
            for e in _effects(row):
                balances[e.account_id] += e.available + e.held
    return balances


def rebuild_totals(connection):
    """Fill the monthly totals from the transfers: for a ledger written before they were kept, or seeded
    straight into the tables. Residents count in the community they belong to now."""
    tally = rollup.Tally(rollup.resident_communities(connection))
    for row in _transfers_in_order(connection):
        tally.add(row, _effects(row))
    rollup.replace_all(connection, tally)


def _walk_chain(tally):
    problems = []
    totals = defaultdict(lambda: [0, 0, 0])
    expected_id, prev_hash = 1, GENESIS_HASH
    for row in _transfers_in_order(db.session):
        problems += _check_link(row, expected_id, prev_hash)
        changes = _effects(row)
        for e in changes:
            total = totals[e.account_id]
            total[0] += e.available
            total[1] += e.held
            total[2] += e.earned
        tally.add(row, changes)
        expected_id, prev_hash = row.id + 1, row.hash
    return problems, totals, (expected_id - 1, prev_hash)


def _effects(row):
    return effects(row.kind, row.amount, row.debit_account_id, row.credit_account_id,
                   resolves=row.pending_id is not None, reversed_kind=row.reversed_kind)


def _transfers_in_order(connection):
    original = aliased(Transfer)
    query = (
        select(Transfer.__table__, original.kind.label("reversed_kind"))
        .outerjoin(original, original.id == Transfer.reverses_id)
        .order_by(Transfer.id)
        .execution_options(yield_per=5000)
    )
    return connection.execute(query)


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


def _compare_monthly_totals(tally):
    """The stored totals against the recomputed ones: each month's lines (summed over communities, as a
    resident's community may have changed since), the active residents per month, and each community's
    totals against its residents' balances now."""
    stored = defaultdict(lambda: [0, 0, 0])
    for t in rollup.totals("0000-00", "9999-99"):
        key = (t.month, t.line, t.category)
        stored[key] = [stored[key][0] + t.points_in, stored[key][1] + t.points_out, stored[key][2] + t.transfers]
    expected = defaultdict(lambda: [0, 0, 0])
    for (month, _community, line, category), (points_in, points_out, count) in tally.totals.items():
        e = expected[(month, line, category)]
        expected[(month, line, category)] = [e[0] + points_in, e[1] + points_out, e[2] + count]
    problems = [Problem(f"monthly totals {month} {line} {category}".rstrip(),
                        f"stored in/out/transfers {stored.get((month, line, category), [0, 0, 0])} "
                        f"but the transfers give {expected.get((month, line, category), [0, 0, 0])}")
                for month, line, category in sorted(set(stored) | set(expected))
                if line != "moved" and stored.get((month, line, category)) != expected.get((month, line, category))]
    problems += [Problem(f"monthly totals {month} moved", "points moved out of communities do not all arrive")
                 for (month, line, _c), (points_in, points_out, _n) in sorted(stored.items())
                 if line == "moved" and points_in != points_out]
    return problems + _compare_active(tally) + _compare_communities()


def _compare_active(tally):
    stored = defaultdict(int)
    for month, _community, residents in rollup.active_residents("0000-00", "9999-99"):
        stored[month] += residents
    expected = defaultdict(int)
    for (month, _community), residents in tally.active_counts().items():
        expected[month] += residents
    return [Problem(f"monthly totals {month}", f"{stored[month]} active residents stored, "
                    f"the transfers show {expected[month]}") for month in sorted(set(stored) | set(expected))
            if stored[month] != expected[month]]


def _compare_communities():
    community = func.coalesce(User.community_id, NO_COMMUNITY)
    now = dict(db.session.execute(
        select(community, func.sum(Account.available + Account.held)).join(User, User.id == Account.user_id)
        .where(Account.kind == AccountKind.RESIDENT).group_by(community)).all())
    kept = {c or NO_COMMUNITY: points for c, points in rollup.balances_before("9999-99").items()}
    return [Problem(f"community {c}", f"its monthly totals add up to {kept.get(c, 0)}, "
                    f"its residents hold {now.get(c, 0)}")
            for c in sorted(set(now) | set(kept)) if (now.get(c) or 0) != (kept.get(c) or 0)]
