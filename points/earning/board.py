"""The public points board (积分公示): a community's awards and deductions of a month, and its ranking.

Only masked names (张*) leave this module, and reasons are scrubbed of the person's name and of
anything that looks like a mobile number: the board is pinned up where anyone can read it.
"""
import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from points.accounts.models import Community, Role, User, mask_name, mask_phone
from points.earning.caps import local_date
from points.errors import Invalid, NotFound
from points.extensions import db
from points.ledger.checkpoints import latest_checkpoint
from points.ledger.models import Account, Checkpoint, Transfer, TransferKind
from points.routing import is_id
from points.timeutil import month_bounds

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
PHONE_LIKE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
RANKED = 20


@dataclass(frozen=True)
class Entry:
    """One line of the board: when, who (masked), how many points (+/-), and why."""

    day: date
    resident_id: int  # for counting people; never shown
    name: str
    points: int
    reason: str
    category: str | None


@dataclass(frozen=True)
class Rank:
    place: int
    name: str
    earned_total: int


@dataclass(frozen=True)
class Board:
    community: Community
    month: date  # the first day of the month
    entries: list[Entry]
    ranking: list[Rank]
    checkpoint: Checkpoint | None = None  # the latest signed chain head, printed so it can be compared later

    @property
    def awarded(self):
        return sum(e.points for e in self.entries if e.points > 0)

    @property
    def people(self):
        return len({e.resident_id for e in self.entries})


def board(community, month):
    return Board(community, month, month_entries(community, month), ranking(community), latest_checkpoint())


def parse_month(text):
    """'2026-11' → date(2026, 11, 1); empty → this month; nonsense or the future → Invalid."""
    this_month = local_date().replace(day=1)
    if not text:
        return this_month
    match = MONTH_PATTERN.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
        raise Invalid(_l("The month is written like 2026-11."), field="month")
    month = date(int(match[1]), int(match[2]), 1)
    if month > this_month:
        raise Invalid(_l("That month has not begun yet."), field="month")
    return month


def community_for(viewer, community_id):
    """The community asked for; else the viewer's own; else the first one."""
    if community_id is not None:
        community = db.session.get(Community, community_id) if is_id(community_id) else None
        if community is None:
            raise NotFound(_l("No such community."))
        return community
    if viewer is not None and getattr(viewer, "community", None) is not None:
        return viewer.community
    community = db.session.execute(select(Community).order_by(Community.id)).scalars().first()
    if community is None:
        raise NotFound(_l("No community has been set up yet."))
    return community


def communities():
    return db.session.execute(select(Community).order_by(Community.id)).scalars().all()


def month_entries(community, month):
    """Awards and deductions of the month to the community's residents, oldest first."""
    start, end = month_bounds(month)
    resident = aliased(Account)
    to_resident = and_(Transfer.kind == TransferKind.AWARD, Transfer.credit_account_id == resident.id)
    from_resident = and_(Transfer.kind == TransferKind.DEDUCTION, Transfer.debit_account_id == resident.id)
    reversal = aliased(Transfer)
    query = (
        select(Transfer, User.id, User.name)
        .join(resident, or_(to_resident, from_resident))
        .join(User, User.id == resident.user_id)
        .outerjoin(reversal, reversal.reverses_id == Transfer.id)
        .where(User.community_id == community.id, Transfer.created_at >= start, Transfer.created_at < end,
               reversal.id.is_(None))  # a corrected mistake leaves the board
        .order_by(Transfer.created_at, Transfer.id)
    )
    return [_entry(transfer, user_id, name) for transfer, user_id, name in db.session.execute(query)]


def ranking(community, limit=RANKED):
    """Residents by points earned in total (spending does not lower it); equal totals share a place."""
    query = (
        select(User.name, Account.earned_total)
        .join(Account, Account.user_id == User.id)
        .where(User.community_id == community.id, User.active.is_(True), Account.earned_total > 0,
               User.roles.op("&")(int(Role.RESIDENT)) != 0)
        .order_by(Account.earned_total.desc(), User.id)
        .limit(limit)
    )
    ranks, place, previous = [], 0, None
    for position, (name, total) in enumerate(db.session.execute(query), start=1):
        if total != previous:
            place, previous = position, total
        ranks.append(Rank(place, mask_name(name), total))
    return ranks


def scrub(reason, name):
    """A reason fit for the notice board: the person's name masked, phone numbers masked."""
    text = PHONE_LIKE.sub(lambda m: mask_phone(m[0]), reason or "")
    if name and len(name) > 1:
        text = text.replace(name, mask_name(name))
    return text


def _entry(transfer, user_id, name):
    sign = -1 if transfer.kind == TransferKind.DEDUCTION else 1
    return Entry(day=local_date(transfer.created_at), resident_id=user_id, name=mask_name(name),
                 points=sign * transfer.amount,
                 reason=scrub(transfer.reason, name), category=transfer.category)


def months_back(count=12):
    """This month and the ones before it, for a month picker."""
    month = local_date().replace(day=1)
    months = []
    for _ in range(count):
        months.append(month)
        month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    return months
