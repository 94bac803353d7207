"""Claims (申报): a resident asks for points for a civic action; a reviewer of their community decides.

Rules, all enforced here for pages and API alike:
- a resident claims for themselves; a reviewer (or admin) may submit for a resident they look after;
- only active, self-claimable items; the day is not in the future nor older than CLAIM_MAX_AGE_DAYS
  (days of the scheme's time zone); one live claim per resident, action and day (also a unique index);
- a photo when the action asks for evidence; at most the four-eyes threshold per claim;
- only reviewers of the claim's community (and admins) see or decide it, never a claim that is theirs
  or that they submitted for a resident;
- approval posts the award once (ledger key claim:{id}:award) and counts it against the caps, all in
  one transaction; a decision is taken once (conditional update on status = 'pending').
"""
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from points import audit, ledger, text
from points.accounts import reach
from points.accounts.models import Role, User
from points.atomic import atomic
from points.earning import caps, decision_totals, photos
from points.earning.models import ActionType, Claim, ClaimStatus
from points.errors import Forbidden, Invalid, NotFound, Refusal
from points.extensions import db
from points.redemption import notifications
from points.routing import BIGGEST_ID, is_id
from points.timeutil import now_utc

MAX_QUANTITY = 24
MAX_NOTE = 500
MAX_BULK = 100


class DuplicateClaim(Refusal):
    code = "duplicate_claim"
    message = _l("You have already claimed this action for that day. Choose another day or action.")


class AlreadyDecided(Refusal):
    code = "already_decided"
    message = _l("This claim has already been decided or withdrawn.")


# ---- Submitting ----

@atomic
def submit(submitter, resident, action_type_id, occurred_on, quantity=1, note="", uploads=()):
    """A new pending claim with its photos; everything is checked before anything is written."""
    note = text.paragraph(note, most=MAX_NOTE, field="note")
    _check_submitter(submitter, resident)
    action_type = _claimable(action_type_id)
    check_day(occurred_on)
    points = _points(action_type, quantity)
    _check_caps(resident, action_type, occurred_on, points)
    _check_not_claimed(resident, action_type, occurred_on)
    evidence = photos.prepare_all(uploads)
    check_evidence(action_type, evidence)
    claim = _insert(resident, action_type, occurred_on, quantity, points, note, submitter)
    photos.store(claim, evidence)
    if submitter.id != resident.id:  # a resident's own claim is self-service; one entered for them is recorded
        audit.record(submitter, "claim.submitted_for", claim, resident, points=points, action_type=action_type.code)
    return claim


def local_today():
    return caps.local_date()


def earliest_day():
    return local_today() - timedelta(days=current_app.config["CLAIM_MAX_AGE_DAYS"])


def _check_submitter(submitter, resident):
    reach.in_reach(submitter, resident, scope=reach.Scope.CLAIM, field="user_id")
    if not resident.has_role(Role.RESIDENT) or not resident.active:
        raise Refusal(_l("Claims can only be made for an active resident."), code="not_a_resident", field="user_id")


def _claimable(action_type_id):
    action_type = db.session.get(ActionType, action_type_id) if is_id(action_type_id) else None
    if action_type is None:
        raise NotFound(_l("Please choose an action from the list."), field="action_type_id")
    if not action_type.active:
        raise Refusal(_l("This action is no longer in use."), code="not_claimable", field="action_type_id")
    if not action_type.self_claimable:
        raise Refusal(_l("This action is awarded by organisers and cannot be claimed."), code="not_claimable",
                      field="action_type_id")
    return action_type


def check_evidence(action_type, uploads):
    """An action that needs photos is claimed with at least one (the form asks it too)."""
    if action_type is not None and action_type.evidence_required and not uploads:
        raise Refusal(_l("This action needs at least one photo as evidence."), field="photos", code="evidence_required")


def check_day(occurred_on):
    """A claim's day: not in the future, not older than CLAIM_MAX_AGE_DAYS (the form asks it too)."""
    if not isinstance(occurred_on, date):
        raise Invalid(_l("Please enter the day of the action."), field="occurred_on")
    if occurred_on > local_today():
        raise Refusal(_l("The day cannot be in the future."), field="occurred_on", code="date_in_future")
    if occurred_on < earliest_day():
        raise Refusal(_l("Claims are accepted for the last %(days)d days only.",
                         days=current_app.config["CLAIM_MAX_AGE_DAYS"]), field="occurred_on", code="date_too_old")


def _points(action_type, quantity):
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_QUANTITY:
        raise Invalid(_l("The quantity is a whole number from 1 to %(most)d.", most=MAX_QUANTITY), field="quantity")
    points = quantity * action_type.points
    threshold = current_app.config["FOUR_EYES_THRESHOLD"]
    if points > threshold:
        raise Refusal(_l("A claim can be worth at most %(most)d points. For more, ask your community's reviewer.",
                         most=threshold), field="quantity", code="claim_too_large")
    return points


def _check_caps(resident, action_type, occurred_on, points):
    """A friendly early answer; approval checks the caps again, in the award's transaction."""
    room = caps.room_left(resident.id, action_type, occurred_on)
    if room is not None and points > room:
        raise caps.CapReached(_l("Cap reached: “%(action)s” can earn only %(room)d more points for that day or month.",
                                 action=action_type.name, room=room), field="quantity", code="cap_reached")


def _check_not_claimed(resident, action_type, occurred_on):
    query = select(Claim.id).where(
        Claim.user_id == resident.id, Claim.action_type_id == action_type.id, Claim.occurred_on == occurred_on,
        Claim.status.in_([ClaimStatus.PENDING, ClaimStatus.APPROVED]),
    )
    if db.session.execute(query).first():
        raise DuplicateClaim(field="occurred_on")


def _insert(resident, action_type, occurred_on, quantity, points, note, submitter):
    claim = Claim(
        user_id=resident.id, community_id=resident.community_id, action_type=action_type, occurred_on=occurred_on,
        quantity=quantity, points=points, note=note, submitted_by=submitter.id, status=ClaimStatus.PENDING,
    )
    try:
        with db.session.begin_nested():  # a twin submitted at the same moment trips the unique index
            db.session.add(claim)
    except IntegrityError:
        raise DuplicateClaim(field="occurred_on") from None
    return claim


# ---- Seeing ----

def reviews(viewer, claim):
    """Admins review every claim; a reviewer those made in their own community."""
    return viewer.looks_after(claim.community_id)


def visible(viewer, claim_id):
    """The claim if this person may see it; otherwise 404, so others cannot learn that it exists."""
    claim = db.session.get(Claim, claim_id) if is_id(claim_id) else None
    if claim is None or viewer.id not in (claim.user_id, claim.submitted_by) and not reviews(viewer, claim):
        raise NotFound(_l("No such claim."))
    return claim


def claims_for(viewer, status=None, limit=50, before=None, own=False):
    """Claims this person may see, newest first: their own, plus their community's for reviewers (all for admins)."""
    query = _listing(status).order_by(Claim.id.desc()).limit(limit)
    if before is not None:
        query = query.where(Claim.id < min(before, BIGGEST_ID))  # every id is below; PostgreSQL fails beyond
    mine = or_(Claim.user_id == viewer.id, Claim.submitted_by == viewer.id)
    query = query.where(mine if own else or_(mine, reach.looked_after(viewer, Claim.community_id)))
    return db.session.execute(query).scalars().all()


def queue(reviewer, status=ClaimStatus.PENDING, limit=50):
    """What a reviewer decides on: pending claims oldest first; decided ones newest decision first."""
    query = _listing(status).where(reach.looked_after(reviewer, Claim.community_id)).limit(limit)
    if status == ClaimStatus.PENDING:
        return db.session.execute(query.order_by(Claim.created_at, Claim.id)).scalars().all()
    return db.session.execute(query.order_by(Claim.decided_at.desc(), Claim.id.desc())).scalars().all()


def _listing(status):
    query = select(Claim).options(
        selectinload(Claim.resident).selectinload(User.community), selectinload(Claim.action_type),
        selectinload(Claim.photos),
    )
    return query.where(Claim.status == ClaimStatus(status)) if status else query


def person(user_id):
    return db.session.get(User, user_id) if user_id else None


# ---- Deciding ----

@atomic
def approve(reviewer, claim):
    """Approve and award: the status, the caps and the ledger move together or not at all."""
    _check_decider(reviewer, claim)
    try:
        with db.session.begin_nested():
            _lock_pending(claim)
            caps.take(claim.user_id, claim.action_type, claim.occurred_on, claim.points)
            record = ledger.award(claim.user_id, claim.points, f"claim:{claim.id}:award", _memo(claim, reviewer))
            # One UPDATE: an approved claim always names its transfer (a CHECK constraint says so too).
            _decide(claim, reviewer, ClaimStatus.APPROVED, decided_by=reviewer.id, decided_at=now_utc(),
                    transfer_id=record.id)
            audit.record(reviewer, "claim.approved", claim, claim.user_id, points=claim.points,
                         transfer_id=record.id)
            _tell_resident(claim, notifications.CLAIM_APPROVED)
    finally:
        db.session.expire(claim)
    return claim


@atomic
def reject(reviewer, claim, reason):
    reason = _rejection_reason(reason)
    _check_decider(reviewer, claim)
    _decide(claim, reviewer, ClaimStatus.REJECTED, decided_by=reviewer.id, decided_at=now_utc(),
            decision_reason=reason)
    audit.record(reviewer, "claim.rejected", claim, claim.user_id, reason=reason)
    _tell_resident(claim, notifications.CLAIM_REJECTED, reason=reason)
    db.session.expire(claim)
    return claim


def _tell_resident(claim, kind, **params):
    """The decision waits on the resident's home, as a cancelled session does (bulk decisions too)."""
    action_type = claim.action_type
    notifications.notify(claim.user_id, kind, action_zh=action_type.name_zh, action_en=action_type.name_en,
                         occurred_on=claim.occurred_on.isoformat(), points=claim.points, **params)


def _rejection_reason(reason):
    reason = text.paragraph(reason, most=MAX_NOTE, field="reason")
    if not reason:
        raise Invalid(_l("Please give the resident a reason for rejecting."), field="reason")
    return reason


def check_many(claim_ids, approving, reason=""):
    """The distinct claim ids of a decision on several claims, or the refusal it would meet before
    any claim is decided (the review page asks before rejecting several with these checks)."""
    claim_ids = list(dict.fromkeys(claim_ids))
    if not claim_ids:
        raise Invalid(_l("Please tick at least one claim."), field="claim_ids")
    if len(claim_ids) > MAX_BULK:
        raise Invalid(_l("Please decide at most %(most)d claims at once.", most=MAX_BULK), field="claim_ids")
    if not approving:
        _rejection_reason(reason)
    return claim_ids


def decide_many(reviewer, claim_ids, approving, reason=""):
    """Approve or reject several claims; each stands alone. Returns [(claim id, None or the Refusal)]."""
    claim_ids = check_many(claim_ids, approving, reason)
    outcomes = []
    for claim_id in claim_ids:
        try:
            claim = visible(reviewer, claim_id)
            approve(reviewer, claim) if approving else reject(reviewer, claim, reason)
            outcomes.append((claim_id, None))
        except Refusal as refusal:
            outcomes.append((claim_id, refusal))
    return outcomes


@atomic
def withdraw(actor, claim):
    """The resident (or whoever submitted it for them) takes back a claim that is still pending."""
    if actor.id not in (claim.user_id, claim.submitted_by):
        raise Forbidden(_l("Only the resident can withdraw their claim."))
    _decide(claim, actor, ClaimStatus.WITHDRAWN, decided_at=now_utc())
    if actor.id != claim.user_id:
        audit.record(actor, "claim.withdrawn_for", claim, claim.user_id)
    db.session.expire(claim)
    return claim


def _check_decider(reviewer, claim):
    """Separation of duties: whoever made a claim, or entered it for a resident, does not decide it."""
    if claim.user_id == reviewer.id:
        raise Forbidden(_l("Another reviewer must decide your own claim."), code="own_claim")
    if claim.submitted_by == reviewer.id:
        raise Forbidden(_l("Another reviewer must decide a claim you submitted."), code="own_claim")
    if not reviews(reviewer, claim):
        raise NotFound(_l("No such claim."))
    if claim.status != ClaimStatus.PENDING:
        raise AlreadyDecided()


def _lock_pending(claim):
    """Lock the claim before awarding: a concurrent second approval waits here, then finds it decided."""
    status = db.session.execute(select(Claim.status).where(Claim.id == claim.id).with_for_update()).scalar()
    if status != ClaimStatus.PENDING:
        raise AlreadyDecided()


def _decide(claim, actor, status, **changes):
    """Leave 'pending' once: a concurrent second decision finds the claim no longer pending.

    `changes` default to a reviewer's decision (who and when); a withdrawal records only when.
    """
    changes = changes or {"decided_by": actor.id, "decided_at": now_utc()}
    result = db.session.execute(
        update(Claim).where(Claim.id == claim.id, Claim.status == ClaimStatus.PENDING)
        .values(status=status, **changes).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise AlreadyDecided()
    decision_totals.count(claim.community_id, status, claim.created_at, changes["decided_at"])


def _memo(claim, reviewer):
    action_type = claim.action_type
    reason = f"{action_type.name_zh}：{claim.note}" if claim.note else action_type.name_zh
    return ledger.Memo(reason=reason, category=action_type.category, requested_by=claim.submitted_by,
                       approved_by=reviewer.id, ref_type="claim", ref_id=claim.id)
