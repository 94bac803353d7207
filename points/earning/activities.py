"""Volunteer activities (志愿活动): an organiser creates one, checks residents in, then closes it.

Closing awards every participant in one batch. It happens once: a conditional UPDATE moves the
activity from open to closed, so a second close (or two at once) finds nothing to do and is refused;
each award also has its own ledger key, so even a replayed batch posts nothing twice. Caps are
honoured per participant with `caps.take(partial=True)`: someone at their cap gets what is left
(possibly 0), and the points actually awarded are recorded on their participation.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from points import audit, ledger, text
from points.accounts import reach
from points.accounts.members import CARD_PREFIX, BadMemberCode, member_from_code
from points.accounts.models import Community, Role, User, valid_phone
from points.atomic import atomic
from points.earning import caps
from points.earning.models import ActionType, Activity, ActivityStatus, Participation
from points.errors import Forbidden, Invalid, NotFound, Refusal
from points.extensions import db
from points.timeutil import as_utc, now_utc

MAX_POINTS = 1000  # per participant; more than any single volunteer action is worth
ORGANISERS = (Role.REVIEWER, Role.ADMIN)
FIRST_YEAR, LAST_YEAR = 2000, 2100  # beyond these a time is a typo (and year 1 or 9999 cannot move zones)
PARTICIPATIONS = Participation.__table__


class ActivityClosed(Refusal):
    code = "activity_closed"
    message = _l("This activity has been closed: nobody can be checked in or awarded any more.")


class BadTime(Refusal):
    """A well-formed time the activity cannot have (409: the API's schema cannot say so, see test_openapi)."""

    code = "invalid_time"


@dataclass(frozen=True)
class CheckIn:
    result: str  # "checked_in" or "already_checked_in"
    resident: User
    participation: Participation


# ---- Creating and finding ----------------------------------------------------------------------

@atomic
def create(organiser, title, starts_at, ends_at, place, action_type_id, points, community_id=None):
    """A new open activity; a reviewer's is always in their own community."""
    _check_organiser(organiser)
    community_id = _community_for(organiser, community_id)
    title = text.line(title, most=200, field="title")
    place = text.line(place, most=200, field="place", required=False)
    starts_at, ends_at = _times(starts_at, ends_at)
    action_type = _action_type(action_type_id)
    if not isinstance(points, int) or isinstance(points, bool) or not 1 <= points <= MAX_POINTS:
        raise Invalid(_l("Points per participant must be a whole number from 1 to %(most)d.", most=MAX_POINTS),
                      field="points")
    activity = Activity(title=title, starts_at=starts_at, ends_at=ends_at, place=place, action_type=action_type,
                        points=points, community_id=community_id, organiser_id=organiser.id)
    db.session.add(activity)
    db.session.flush()
    audit.record(organiser, "activity.created", activity, title=title, points=points)
    return activity


def activities_for(viewer, limit=100):
    """The activities a reviewer (their community's) or an admin (all) sees; newest first."""
    _check_organiser(viewer)
    query = select(Activity).order_by(Activity.starts_at.desc(), Activity.id.desc()).limit(limit)
    query = query.where(reach.looked_after(viewer, Activity.community_id))
    return db.session.execute(query).scalars().all()


def visible(viewer, activity_id):
    """One activity the viewer may run; another community's is "not found", as if it were not there."""
    _check_organiser(viewer)
    activity = db.session.get(Activity, activity_id)
    if activity is None or not viewer.looks_after(activity.community_id):
        raise NotFound(_l("No such activity."))
    return activity


def participants(activity):
    """[(participation, resident)] in the order they were checked in."""
    query = (select(Participation, User).join(User, User.id == Participation.user_id)
             .where(Participation.activity_id == activity.id)
             .order_by(Participation.checked_in_at, Participation.user_id))
    return db.session.execute(query).all()


def participant_count(activity):
    query = select(func.count()).select_from(Participation).where(Participation.activity_id == activity.id)
    return db.session.execute(query).scalar_one()


# ---- Checking in -------------------------------------------------------------------------------

@atomic
def check_in(actor, activity, member_code=None, phone=None):
    """Check a resident in by a member code (phone QR or printed card) or by mobile number.

    Checking the same person in twice is not an error: the answer says they already are.
    """
    resident, method = _participant(actor, member_code, phone)
    # Read the status locked: a close committing meanwhile must not leave someone checked in unpaid.
    status = db.session.execute(select(Activity.status).where(Activity.id == activity.id).with_for_update()).scalar()
    if status != ActivityStatus.OPEN:
        raise ActivityClosed()
    if not reach.reaches(actor, resident):  # they showed their own code: telling them why is no leak
        raise Forbidden(_l("This resident belongs to a community you do not look after."), code="other_community")
    # Insert-if-absent: two scanners reading the same person at once still make one row.
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    values = dict(activity_id=activity.id, user_id=resident.id, checked_in_at=now_utc(),
                  checked_in_by=actor.id, method=method)
    statement = dialect.insert(PARTICIPATIONS).values(values).on_conflict_do_nothing()
    inserted = db.session.execute(statement.returning(PARTICIPATIONS.c.user_id)).first() is not None
    participation = db.session.get(Participation, (activity.id, resident.id), populate_existing=True)
    return CheckIn("checked_in" if inserted else "already_checked_in", resident, participation)


def _participant(actor, member_code, phone):
    if member_code:
        # Control characters (PostgreSQL refuses NUL in a query) make a code no code could be.
        if not isinstance(member_code, str) or len(member_code) > 200 or not member_code.isprintable():
            raise BadMemberCode(field="member_code")
        resident = member_from_code(member_code)
        method = "card" if member_code.strip().startswith(CARD_PREFIX) else "qr"
    elif phone:
        phone = str(phone).strip()
        if not valid_phone(phone):
            raise Invalid(_l("Please enter an 11-digit mobile number."), field="phone")
        resident = db.session.execute(select(User).where(User.phone == phone)).scalar()
        # A number outside the organiser's reach is answered as one nobody has: no probing who is registered.
        if resident is None or not resident.active or not reach.reaches(actor, resident):
            raise NotFound(_l("Nobody is registered with this mobile number."), code="unknown_member", field="phone")
        method = "phone"
    else:
        raise Invalid(_l("Scan a member code or enter a mobile number."), field="member_code")
    if not resident.has_role(Role.RESIDENT):
        raise Invalid(_l("Only residents can take part and earn points."), field="member_code")
    return resident, method


# ---- Closing -----------------------------------------------------------------------------------

@atomic
def close(actor, activity):
    """Close the activity and award each participant once; a second close is refused.

    Returns [(participation, resident)] with the points each one was actually awarded.
    """
    _check_organiser(actor)
    closed = db.session.execute(
        update(Activity)
        .where(Activity.id == activity.id, Activity.status == ActivityStatus.OPEN)
        .values(status=ActivityStatus.CLOSED, closed_at=now_utc())
        .execution_options(synchronize_session=False)
    ).rowcount
    if closed != 1:
        raise ActivityClosed(_l("This activity is already closed; its points were awarded then."),
                             code="already_closed")
    db.session.refresh(activity)
    on_date = caps.local_date(activity.starts_at)
    rows = participants(activity)
    for participation, resident in rows:
        _award(actor, activity, participation, on_date)
    db.session.flush()
    audit.record(actor, "activity.closed", activity, participants=len(rows),
                 points=sum(participation.points or 0 for participation, _ in rows))
    return rows


def _award(actor, activity, participation, on_date):
    granted = caps.take(participation.user_id, activity.action_type, on_date, activity.points, partial=True)
    participation.points = granted
    if granted <= 0:
        return
    memo = ledger.Memo(reason=activity.title, category=activity.action_type.category,
                       requested_by=activity.organiser_id, approved_by=actor.id,
                       ref_type="activity", ref_id=activity.id)
    record = ledger.award(participation.user_id, granted, f"activity:{activity.id}:user:{participation.user_id}", memo)
    participation.transfer_id = record.id


# ---- Checks ------------------------------------------------------------------------------------

def _check_organiser(user):
    if not any(user.has_role(role) for role in ORGANISERS):
        raise Forbidden(_l("Only reviewers and admins organise activities."))


def _community_for(organiser, community_id):
    if not organiser.has_role(Role.ADMIN):
        if organiser.community_id is None:
            raise Forbidden(_l("You look after no community, so you cannot organise activities."))
        if community_id not in (None, organiser.community_id):
            raise Forbidden(_l("You can only organise activities in your own community."), field="community_id")
        return organiser.community_id
    if community_id is not None and db.session.get(Community, community_id) is None:
        raise NotFound(_l("No such community."), field="community_id")
    return community_id


def _times(starts_at, ends_at):
    if not isinstance(starts_at, datetime) or not FIRST_YEAR <= starts_at.year <= LAST_YEAR:
        raise BadTime(_l("Please give a valid start time."), field="starts_at")
    starts_at = as_utc(starts_at)
    if ends_at is not None:
        if not isinstance(ends_at, datetime) or not FIRST_YEAR <= ends_at.year <= LAST_YEAR:
            raise BadTime(_l("Please give a valid end time."), field="ends_at")
        ends_at = as_utc(ends_at)
        if ends_at <= starts_at:  # the database keeps this rule too (ck_activities_ends_after_start)
            raise BadTime(_l("The activity cannot end before it starts."), field="ends_at")
    return starts_at, ends_at


def _action_type(action_type_id):
    action_type = db.session.get(ActionType, action_type_id) if isinstance(action_type_id, int) else None
    if action_type is None:
        raise NotFound(_l("Please choose an action from the list."), field="action_type_id")
    if not action_type.active or action_type.points <= 0:
        raise Refusal(_l("Please choose an action in use that earns points."), code="action_not_usable",
                      field="action_type_id")
    return action_type


def organised_actions():
    """The actions an activity can award: active, earning points."""
    query = select(ActionType).where(ActionType.active.is_(True), ActionType.points > 0).order_by(ActionType.id)
    return db.session.execute(query).scalars().all()

