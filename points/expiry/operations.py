"""Clearing at year end, shared by the page and the command: preview, ask, approve or refuse, run.

The policy (EXPIRY_POLICY) says what a clearing takes; the ledger (points.ledger.expiry) reads and
writes it. A clearing is of a period, the year of its as-of day, and expires what the policy
expires at the end of that day: offices clear at their year-end meeting, often before 31 December.
"""
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from points import audit, four_eyes, ledger
from points.accounts.models import Community, Role, User
from points.atomic import atomic
from points.errors import Forbidden, Invalid, NotFound, Refusal
from points.expiry.models import ExpiryRun, RunStatus
from points.extensions import db
from points.redemption.times import day_bounds, local_day
from points.timeutil import EARLIEST_DAY, LATEST_DAY, now_utc

NONE, YEAR_END, YEAR_END_NEXT = "none", "year_end", "year_end_next"
POLICIES = (NONE, YEAR_END, YEAR_END_NEXT)
NOTICE_DAYS = 30  # residents are told this many days before the period ends
MAX_REASON = 500


@dataclass(frozen=True)
class CommunityLine:
    community: str | None  # None: residents of no community
    residents: int
    points: int


@dataclass(frozen=True)
class Preview:
    period: str
    policy: str
    as_of: date
    lines: list
    run: ExpiryRun | None  # the period's run waiting or done, if any

    @property
    def residents(self):
        return sum(line.residents for line in self.lines)

    @property
    def points(self):
        return sum(line.points for line in self.lines)


@dataclass(frozen=True)
class Notice:
    points: int
    on: date  # the last day the points can be spent


def policy():
    """The configured policy; one the app does not know is refused rather than guessed at."""
    name = str(current_app.config.get("EXPIRY_POLICY") or NONE).strip().lower()
    if name not in POLICIES:
        raise Refusal(_l("The expiry policy “%(policy)s” is not known: set EXPIRY_POLICY to none, year_end or "
                         "year_end_next.", policy=name), code="expiry_off")
    return name


def today():
    return local_day(now_utc())


def period_of(as_of):
    return str(as_of.year)


def since(policy_name, as_of):
    """From when points count as new (spared): the end of the day for year_end, 1 January for year_end_next."""
    if policy_name == YEAR_END:
        return day_bounds(as_of)[1]
    return day_bounds(date(as_of.year, 1, 1))[0]


def preview(as_of):
    """Per community: how many residents lose how many points if the period is cleared as of that day."""
    name = _expiring_policy()
    rows = ledger.expiring(since(name, as_of)).subquery()
    query = (
        select(Community.name, func.count(), func.sum(rows.c.points))
        .select_from(rows).join(User, User.id == rows.c.user_id).outerjoin(Community, Community.id == User.community_id)
        .group_by(Community.name).order_by(Community.name)
    )
    lines = [CommunityLine(community, residents, points) for community, residents, points in db.session.execute(query)]
    return Preview(period_of(as_of), name, as_of, lines, live_run(period_of(as_of)))


@atomic
def request_run(admin, as_of):
    """One admin asks for the clearing; it runs when a different admin approves it."""
    _check_admin(admin)
    seen = preview(as_of)
    _check_free(seen.run)
    run = ExpiryRun(period=seen.period, policy=seen.policy, as_of=as_of, requested_by=admin.id,
                    residents=seen.residents, points=seen.points)
    db.session.add(run)
    db.session.flush()
    audit.record(admin, "expiry.requested", run, period=run.period, policy=run.policy, as_of=as_of.isoformat(),
                 residents=run.residents, points=run.points)
    return run


@atomic
def approve_run(admin, run):
    """The second admin's yes: the period is cleared, once."""
    _check_decider(admin, run)
    if policy() != run.policy:
        raise Refusal(_l("The expiry policy has changed since this clearing was asked for: please refuse it and "
                         "ask again."), code="expiry_policy_changed")
    _decide(run, admin, RunStatus.DONE)
    expired = _expire(run, approved_by=admin.id)
    audit.record(admin, "expiry.run", run, period=run.period, policy=run.policy, as_of=run.as_of.isoformat(),
                 residents=expired.residents, points=expired.points)
    return expired


@atomic
def refuse_run(admin, run, reason):
    reason = four_eyes.refusal_reason(reason, MAX_REASON)
    _check_decider(admin, run)
    _decide(run, admin, RunStatus.REFUSED, refusal_reason=reason)
    audit.record(admin, "expiry.refused", run, period=run.period, reason=reason)


@atomic
def run_now(as_of):
    """The server operator's clearing (`flask ledger expire`): no second admin. Returns (run, expired);
    a period already cleared gives its run and nothing expired."""
    name = _expiring_policy()
    earlier = live_run(period_of(as_of))
    if earlier is not None and earlier.status == RunStatus.DONE:
        return earlier, ledger.Expired(0, 0)
    _check_free(earlier)
    run = ExpiryRun(period=period_of(as_of), policy=name, as_of=as_of, status=RunStatus.DONE, decided_at=now_utc())
    db.session.add(run)
    db.session.flush()
    expired = _expire(run, approved_by=None)
    audit.record(None, "expiry.run", run, period=run.period, policy=run.policy, as_of=as_of.isoformat(),
                 residents=expired.residents, points=expired.points)
    return run, expired


def notice(user_id, account_id=None):
    """What the resident's home says in the last days of the period: Notice(points, on) or None.

    Cheap: the setting first, then one indexed read of the period's run and of this account's transfers."""
    name = current_app.config.get("EXPIRY_POLICY") or NONE
    if name not in (YEAR_END, YEAR_END_NEXT):
        return None
    day = today()
    ends = date(day.year, 12, 31)
    if (ends - day).days > NOTICE_DAYS or live_run(period_of(ends), status=RunStatus.DONE) is not None:
        return None
    points = ledger.expiring_for(account_id or ledger.account_of(user_id), since(name, ends))
    return Notice(points, ends) if points > 0 else None


def live_run(period, status=None):
    """The period's run waiting or done, if any (there is one at most)."""
    statuses = [status] if status else [RunStatus.REQUESTED, RunStatus.DONE]
    query = select(ExpiryRun).where(ExpiryRun.period == period, ExpiryRun.status.in_(statuses))
    return db.session.execute(query).scalar()


def waiting_runs():
    query = select(ExpiryRun).where(ExpiryRun.status == RunStatus.REQUESTED).order_by(ExpiryRun.created_at)
    return db.session.execute(query).scalars().all()


def recent_runs(limit=10):
    return db.session.execute(select(ExpiryRun).order_by(ExpiryRun.id.desc()).limit(limit)).scalars().all()


def get_run(run_id):
    run = db.session.get(ExpiryRun, run_id)
    if run is None:
        raise NotFound(_l("No such clearing."))
    return run


def parse_day(value, field="as_of"):
    """A YYYY-MM-DD day, as the page and the command take it."""
    try:
        day = date.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid(_l("Please give the day as YYYY-MM-DD, for example %(example)s.",
                         example=f"{today().year}-12-31"), field=field) from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise Invalid(_l("Please enter a date from %(first)s to %(last)s.", first=EARLIEST_DAY, last=LATEST_DAY),
                      field=field)
    return day


def default_day():
    return date(today().year, 12, 31)


def is_ahead(as_of):
    return as_of > today()


def _expiring_policy():
    name = policy()
    if name == NONE:
        raise Refusal(_l("Points do not expire under this scheme's policy (EXPIRY_POLICY is none), so there is "
                         "nothing to clear."), code="expiry_off")
    return name


def _expire(run, approved_by):
    memo = ledger.Memo(requested_by=run.requested_by, approved_by=approved_by, ref_type="expiry_run", ref_id=run.id)
    expired = ledger.expire(run.period, since(run.policy, run.as_of), memo)
    run.residents, run.points = expired.residents, expired.points
    db.session.flush()
    return expired


def _check_admin(admin):
    if not admin.has_role(Role.ADMIN):
        raise Forbidden(_l("Only an admin can clear points at year end."))


def _check_free(run):
    """No second run of a period: one waits for approval, or the period is cleared already."""
    if run is None:
        return
    if run.status == RunStatus.DONE:
        raise Refusal(_l("The points of %(period)s have already been cleared.", period=run.period), code="expiry_done")
    raise Refusal(_l("A clearing of %(period)s is already waiting for a second admin.", period=run.period),
                  code="expiry_pending")


def _check_decider(admin, run):
    _check_admin(admin)
    if admin.id == run.requested_by:
        raise Forbidden(_l("A second admin must approve a clearing you asked for."), code="four_eyes")
    if run.status != RunStatus.REQUESTED:
        raise Refusal(_l("This clearing has already been decided."), code="already_decided")


def _decide(run, admin, status, **changes):
    four_eyes.decide_once(run, RunStatus.REQUESTED, status, admin, _l("This clearing has already been decided."), **changes)
