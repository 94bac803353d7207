"""The monthly statement: opening + awarded − deducted − redeemed − expired ± reversals and adjustments
(± residents moved between communities) = closing, per community and for the street.

Read from the ledger's monthly totals (points.ledger.rollup), a few rows per community and month,
however long the ledger: the opening is the totals of every earlier month, the closing the opening
plus the month's lines, and it equals the residents' balances at the end of the month.
"""
import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from points.accounts.models import Community, Role
from points.accounts.operations import the_street
from points.errors import Forbidden, Invalid, NotFound
from points.extensions import db
from points.ledger import rollup
from points.ledger.checkpoints import latest_checkpoint
from points.ledger.models import (
    DEDUCTION_ACCOUNT, EXPIRY_ACCOUNT, ISSUANCE_ACCOUNT, OPENING_ACCOUNT, Account,
)
from points.routing import is_id
from points.timeutil import EARLIEST_DAY, LATEST_DAY, now_utc

# How each line counts towards the closing balance; the statement shows what is taken away unsigned.
SIGNS = {"awarded": 1, "deducted": -1, "redeemed": -1, "expired": -1, "reversed": 1, "adjusted": 1, "moved": 1}
MONTH = re.compile(r"^20\d\d-(0[1-9]|1[0-2])$")  # 2000-01 to 2099-12, as EARLIEST_DAY to LATEST_DAY
SYSTEM_ACCOUNTS = (OPENING_ACCOUNT, ISSUANCE_ACCOUNT, DEDUCTION_ACCOUNT, EXPIRY_ACCOUNT)
BAD_MONTH = _l("Please give the month as YYYY-MM, for example 2026-11, between %(first)s and %(last)s.")


@dataclass(frozen=True)
class Statement:
    month: str
    community_id: int | None  # None: the street (or, among its communities, the residents of none)
    name: str
    opening: int = 0
    awarded: int = 0
    deducted: int = 0
    redeemed: int = 0
    expired: int = 0
    reversed: int = 0  # signed: + into residents' balances
    adjusted: int = 0
    moved: int = 0
    communities: tuple = ()
    made_at: datetime | None = None
    checkpoint: object | None = None
    balances_now: int | None = None  # the street's current month only: what the residents hold now
    lines: dict = field(default_factory=dict, repr=False)

    @property
    def closing(self):
        return self.opening + sum(self.signed(line) for line in SIGNS)

    def signed(self, line):
        """A line's effect on the residents' balances: deductions, redemptions and expiry take away."""
        return getattr(self, line) * SIGNS[line]


def parse_month(text):
    first, last = EARLIEST_DAY.strftime("%Y-%m"), LATEST_DAY.strftime("%Y-%m")
    text = (text or "").strip()
    if not MONTH.match(text) or not first <= text <= last:
        raise Invalid(BAD_MONTH % dict(first=first, last=last), field="month")
    return text


def current_month():
    return rollup.month_of(now_utc())


def monthly(viewer, month, community_id=None):
    """The statement of a month for the street (admins) or one community (its reviewer, or an admin)."""
    communities = _in_scope(viewer, community_id)
    opening = rollup.balances_before(month, None if communities is None else [c.id for c in communities])
    per_community = _lines(month, communities)
    if communities is None:
        communities = db.session.execute(select(Community).order_by(Community.name)).scalars().all()
        parts = [_statement(month, c.id, c.name, opening, per_community) for c in communities]
        if opening.get(None) or per_community.get(None):
            parts.append(_statement(month, None, str(_l("No community")), opening, per_community))
        whole = _sum(month, the_street().name, parts)
        return _finish(whole, None)
    return _finish(_statement(month, communities[0].id, communities[0].name, opening, per_community),
                   communities[0].id)


def _in_scope(viewer, community_id):
    """None: the whole street; else [the one community]."""
    if not (viewer.has_role(Role.ADMIN) or viewer.has_role(Role.REVIEWER)):
        raise Forbidden()
    if community_id in (None, "") and viewer.has_role(Role.ADMIN):
        return None
    if community_id in (None, ""):
        community_id = viewer.community_id
    community = db.session.get(Community, int(community_id)) if is_id(community_id) else None
    if community is None or not viewer.looks_after(community.id):
        raise NotFound(_l("No such community."), field="community_id")
    return [community]


def _lines(month, communities):
    """{community id: {line: signed net of the month}}."""
    lines = {}
    ids = None if communities is None else [c.id for c in communities]
    for total in rollup.totals(month, month, ids):
        by_line = lines.setdefault(total.community_id, {})
        by_line[total.line] = by_line.get(total.line, 0) + total.net
    return lines


def _statement(month, community_id, name, opening, per_community):
    lines = per_community.get(community_id, {})
    values = {line: lines.get(line, 0) * SIGNS[line] for line in SIGNS}
    return Statement(month, community_id, name, opening=opening.get(community_id, 0), **values)


def _sum(month, name, parts):
    values = {line: sum(getattr(p, line) for p in parts) for line in ("opening", *SIGNS)}
    return Statement(month, None, name, communities=tuple(parts), **values)


def _finish(statement, community_id):
    now = None
    if statement.month == current_month() and community_id is None:
        now = _residents_hold_now()
    return replace(statement, made_at=now_utc(), checkpoint=latest_checkpoint(), balances_now=now)


def _residents_hold_now():
    """What every resident holds now, read from the few other accounts: the books sum to zero (double
    entry), so the residents hold what the system and venue accounts gave out. A check beside the
    closing balance that reads neither the totals nor every resident's row."""
    others = or_(Account.id.in_(SYSTEM_ACCOUNTS), Account.venue_id.is_not(None))
    query = select(func.coalesce(func.sum(Account.available + Account.held), 0)).where(others)
    return -int(db.session.execute(query).scalar())
