"""The ledger's monthly totals: what reports read instead of the transfers.

Every transfer that changes a resident's balance (available + held) adds its points to one row per
month of the scheme's calendar, community, statement line and action category, in the same
transaction as the transfer and under the same chain-head lock, so the totals are always the
transfers' sums; `ledger verify` recomputes them. A resident's first earning or spending in a month
counts them once as active in their community. A resident moved to another community takes their
balance along on the line "moved", so each community's totals still add up to its residents' balances.
"""
import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from points.accounts.models import User
from points.extensions import db
from points.ledger.chain import effects
from points.ledger.models import NO_COMMUNITY, Account, AccountKind, MonthlyActive, MonthlyTotal, TransferKind
from points.timeutil import local, month_bounds

TOTALS, ACTIVE, ACCOUNTS, USERS = MonthlyTotal.__table__, MonthlyActive.__table__, Account.__table__, User.__table__
LINE_OF_KIND = {
    TransferKind.AWARD: "awarded", TransferKind.DEDUCTION: "deducted", TransferKind.REDEMPTION: "redeemed",
    TransferKind.EXPIRY: "expired", TransferKind.REVERSAL: "reversed", TransferKind.ADJUSTMENT: "adjusted",
}  # no line for TRANSFER: it passes points between residents of one community (pass_points refuses
   # others; a household's members are of one by the database's foreign key), leaving each community's sum
CHUNK = 1000


@dataclass(frozen=True)
class Total:
    month: str
    community_id: int | None  # None: residents of no community
    line: str
    category: str
    points_in: int
    points_out: int
    transfers: int

    @property
    def net(self):
        return self.points_in - self.points_out


# --- months -------------------------------------------------------------------------------------

def month_of(moment):
    """"2026-11": the month of the scheme's calendar an instant falls in."""
    return local(moment).strftime("%Y-%m")


def month_range(month):
    """[start, end) of a month ("2026-11") as UTC instants."""
    return month_bounds(date.fromisoformat(f"{month}-01"))


def shift_month(month, n):
    year, number = divmod(int(month[:4]) * 12 + int(month[5:]) - 1 + n, 12)
    return f"{year:04d}-{number + 1:02d}"


# --- keeping the totals (called by the ledger's writers only) -----------------------------------

def entries(kind, changes, category, communities):
    """{(community, line, category): [in, out, transfers]} a transfer adds: one per resident account
    whose balance it changes (`communities` maps the resident accounts among its two)."""
    line, added = LINE_OF_KIND.get(kind), {}
    for change in changes:
        total = change.available + change.held
        if line and total and change.account_id in communities:
            added[(communities[change.account_id], line, category or "")] = [max(total, 0), max(-total, 0), 1]
    return added


def active_account(kind, debit, credit):
    """The account a transfer shows earning (an award) or spending (a booking's hold, a check-in, a walk-in)."""
    if kind == TransferKind.AWARD:
        return credit
    if kind in (TransferKind.HOLD, TransferKind.REDEMPTION):
        return debit
    return None


def record(kind, changes, moment, category, debit, credit):
    """Add one transfer to the totals (transfers._write, under the chain-head lock)."""
    communities = communities_of([debit, credit])
    month = month_of(moment)
    _add(month, entries(kind, changes, category, communities))
    active = active_account(kind, debit, credit)
    if active in communities:
        _mark_active(month, {active: communities[active]})


def record_many(kind, moves, moment):
    """Add a batch of transfers (batch.write_many): moves of .debit, .credit, .amount, .memo."""
    communities = communities_of({account for move in moves for account in (move.debit, move.credit)})
    month, added, active = month_of(moment), defaultdict(lambda: [0, 0, 0]), {}
    for move in moves:
        changes = effects(kind, move.amount, move.debit, move.credit)
        for key, (points_in, points_out, count) in entries(kind, changes, move.memo.category, communities).items():
            total = added[key]
            total[0], total[1], total[2] = total[0] + points_in, total[1] + points_out, total[2] + count
        account = active_account(kind, move.debit, move.credit)
        if account in communities:
            active[account] = communities[account]
    _add(month, added)
    _mark_active(month, active)


def move_balance(account, balance, old_community_id, new_community_id, moment):
    """A resident moved between communities takes their balance along (under the chain-head lock)."""
    old, new = old_community_id or NO_COMMUNITY, new_community_id or NO_COMMUNITY
    if old != new and balance:
        _add(month_of(moment), {(old, "moved", ""): [max(-balance, 0), max(balance, 0), 1],
                                (new, "moved", ""): [max(balance, 0), max(-balance, 0), 1]})


def communities_of(accounts):
    """{account: community id} for the resident accounts among these (NO_COMMUNITY for none)."""
    found, accounts = {}, list(accounts)
    for start in range(0, len(accounts), CHUNK):
        chunk = accounts[start:start + CHUNK]
        found.update(db.session.execute(_COMMUNITIES, {"ids": chunk}).all())
    return found


_COMMUNITIES = (
    select(ACCOUNTS.c.id, func.coalesce(USERS.c.community_id, NO_COMMUNITY))
    .join(USERS, USERS.c.id == ACCOUNTS.c.user_id)
    .where(ACCOUNTS.c.id.in_(bindparam("ids", expanding=True)), ACCOUNTS.c.kind == AccountKind.RESIDENT.value)
)


def _add(month, added):
    rows = [dict(month=month, community_id=community, line=line, category=category,
                 points_in=points_in, points_out=points_out, transfers=count)
            for (community, line, category), (points_in, points_out, count) in added.items()]
    for row in rows:
        db.session.execute(_upsert_total(_dialect()), row)


def _mark_active(month, accounts):
    """Count each of these accounts once as active this month, in its community."""
    accounts = list(accounts.items())
    newly = defaultdict(int)
    for start in range(0, len(accounts), CHUNK):
        chunk = dict(accounts[start:start + CHUNK])
        fresh = list(db.session.execute(_NOT_YET_ACTIVE, {"ids": list(chunk), "month": month}).scalars())
        if fresh:
            db.session.execute(_SET_ACTIVE, {"ids": fresh, "month": month})
        for account in fresh:
            newly[chunk[account]] += 1
    for community, residents in newly.items():
        db.session.execute(_upsert_active(_dialect()), dict(month=month, community_id=community, residents=residents))


_NOT_YET_ACTIVE = select(ACCOUNTS.c.id).where(
    ACCOUNTS.c.id.in_(bindparam("ids", expanding=True)),
    or_(ACCOUNTS.c.active_month.is_(None), ACCOUNTS.c.active_month != bindparam("month")),
)
_SET_ACTIVE = (update(ACCOUNTS).where(ACCOUNTS.c.id.in_(bindparam("ids", expanding=True)))
               .values(active_month=bindparam("month")))


def _dialect():
    return db.session.get_bind().dialect.name


# Built once per database: on the check-in path building a statement costs more than running it.
@functools.cache
def _upsert_total(dialect_name):
    statement = _insert(dialect_name, TOTALS)
    return statement.on_conflict_do_update(
        index_elements=[TOTALS.c.month, TOTALS.c.community_id, TOTALS.c.line, TOTALS.c.category],
        set_=dict(points_in=TOTALS.c.points_in + statement.excluded.points_in,
                  points_out=TOTALS.c.points_out + statement.excluded.points_out,
                  transfers=TOTALS.c.transfers + statement.excluded.transfers),
    )


@functools.cache
def _upsert_active(dialect_name):
    statement = _insert(dialect_name, ACTIVE)
    return statement.on_conflict_do_update(
        index_elements=[ACTIVE.c.month, ACTIVE.c.community_id],
        set_=dict(residents=ACTIVE.c.residents + statement.excluded.residents),
    )


def _insert(dialect_name, table):
    return (postgresql if dialect_name == "postgresql" else sqlite).insert(table)


# --- reading ------------------------------------------------------------------------------------

def totals(first_month, last_month, community_ids=None):
    """Every total of these months (inclusive), of these communities (None: all; None inside: no community)."""
    query = select(TOTALS).where(TOTALS.c.month >= first_month, TOTALS.c.month <= last_month)
    query = _in_communities(query, TOTALS, community_ids).order_by(TOTALS.c.month, TOTALS.c.community_id)
    return [Total(r.month, r.community_id or None, r.line, r.category, r.points_in, r.points_out, r.transfers)
            for r in db.session.execute(query)]


def active_residents(first_month, last_month, community_ids=None):
    """[(month, community_id, residents)] who earned or spent anything."""
    query = select(ACTIVE.c.month, ACTIVE.c.community_id, ACTIVE.c.residents).where(
        ACTIVE.c.month >= first_month, ACTIVE.c.month <= last_month)
    query = _in_communities(query, ACTIVE, community_ids).order_by(ACTIVE.c.month, ACTIVE.c.community_id)
    return [(month, community or None, residents) for month, community, residents in db.session.execute(query)]


def balances_before(month, community_ids=None):
    """{community_id: the residents' balances (available + held) at the start of `month`}."""
    net = func.sum(TOTALS.c.points_in - TOTALS.c.points_out)
    query = select(TOTALS.c.community_id, net).where(TOTALS.c.month < month).group_by(TOTALS.c.community_id)
    query = _in_communities(query, TOTALS, community_ids)
    return {community or None: int(points) for community, points in db.session.execute(query)}


def net_before(month, community_ids=None):
    return sum(balances_before(month, community_ids).values())


def _in_communities(query, table, community_ids):
    if community_ids is None:
        return query
    return query.where(table.c.community_id.in_([c or NO_COMMUNITY for c in community_ids]))


# --- recomputing (ledger verify, and filling the tables for a ledger that had none) --------------

class Tally:
    """The totals recomputed from the transfers in order, as `record` keeps them."""

    def __init__(self, communities):
        self.communities = communities  # {resident account: community id}
        self.totals = defaultdict(lambda: [0, 0, 0])  # (month, community, line, category) -> in, out, count
        self.active = {}  # (month, account) -> community

    def add(self, row, changes):
        month = month_of(row.created_at)
        for (community, line, category), (points_in, points_out, count) in entries(
                row.kind, changes, row.category, self.communities).items():
            total = self.totals[(month, community, line, category)]
            total[0], total[1], total[2] = total[0] + points_in, total[1] + points_out, total[2] + count
        account = active_account(row.kind, row.debit_account_id, row.credit_account_id)
        if account in self.communities:
            self.active.setdefault((month, account), self.communities[account])

    def active_counts(self):
        counts = defaultdict(int)
        for (month, _account), community in self.active.items():
            counts[(month, community)] += 1
        return counts


def resident_communities(connection):
    """{resident account: its resident's community now}."""
    query = select(ACCOUNTS.c.id, func.coalesce(USERS.c.community_id, NO_COMMUNITY)).join(
        USERS, USERS.c.id == ACCOUNTS.c.user_id).where(ACCOUNTS.c.kind == AccountKind.RESIDENT.value)
    return dict(connection.execute(query).all())


def replace_all(connection, tally):
    """Store a tally as the totals (for a ledger written before the totals were kept, or seeded)."""
    connection.execute(delete(TOTALS))
    connection.execute(delete(ACTIVE))
    rows = [dict(month=m, community_id=c, line=line, category=cat, points_in=i, points_out=o, transfers=n)
            for (m, c, line, cat), (i, o, n) in tally.totals.items()]
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(TOTALS), rows[start:start + CHUNK])
    rows = [dict(month=m, community_id=c, residents=n) for (m, c), n in tally.active_counts().items()]
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(ACTIVE), rows[start:start + CHUNK])
    latest = {}
    for month, account in tally.active:
        latest[account] = max(month, latest.get(account, month))
    by_month = defaultdict(list)
    for account, month in latest.items():
        by_month[month].append(account)
    connection.execute(update(ACCOUNTS).values(active_month=None))
    for month, accounts in by_month.items():
        for start in range(0, len(accounts), CHUNK):
            connection.execute(update(ACCOUNTS).where(ACCOUNTS.c.id.in_(accounts[start:start + CHUNK]))
                               .values(active_month=month))
