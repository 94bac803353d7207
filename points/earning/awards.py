"""Awards and deductions by reviewers and admins; large awards wait for a second admin (four eyes),
and so do large reversals (points.earning.corrections), decided here in the same queue."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from points import audit, four_eyes, ledger, text
from points.accounts import reach
from points.accounts.models import Role
from points.atomic import atomic
from points.earning import corrections
from points.earning.models import ActionType, AwardRequest, RequestKind, RequestStatus
from points.errors import Forbidden, Invalid, NotFound, Refusal
from points.extensions import db

MAX_POINTS = 10_000
MAX_NOTE = 500
MAX_QUANTITY = 100


@atomic
def give(actor, resident, points, key, action_type=None, note="", quantity=1):
    """Award (points > 0) or deduct (points < 0). Returns ("posted", Record) or ("pending", AwardRequest).

    Under an action type, `quantity` times the catalogue's points (see _check_catalogue)."""
    note = text.paragraph(note, most=MAX_NOTE, field="note")
    _check_award(actor, resident, points, action_type, note)
    _check_catalogue(actor, points, action_type, quantity, note)
    if points > current_app.config["FOUR_EYES_THRESHOLD"]:
        return "pending", _request_approval(actor, resident, points, action_type, note, key)
    memo = _memo(actor, action_type, note, approved_by=actor.id)
    if points < 0:
        record = ledger.deduct(resident.id, -points, key, memo)
    else:
        record = ledger.award(resident.id, points, key, memo)
    audit.record_once(actor, "deduction.posted" if points < 0 else "award.posted", record, resident, points=points,
                      reason=memo.reason)
    return "posted", record


@atomic
def approve(admin, request):
    """The second admin's yes: the award (or reversal) is posted once, however often this is called."""
    _check_decider(admin, request)
    if request.kind == RequestKind.REVERSAL:
        record = corrections.post_requested(admin, request)
    else:
        memo = _memo(request.requester, request.action_type, request.note, approved_by=admin.id,
                     ref=("award_request", request.id))
        record = ledger.award(request.user_id, request.points, f"award-request:{request.id}", memo)
    _decide(request, admin, RequestStatus.APPROVED, transfer_id=record.id)
    audit.record(admin, f"{request.kind}_request.approved", request, request.user_id, points=request.points,
                 transfer_id=record.id)
    return record


@atomic
def refuse(admin, request, reason):
    reason = four_eyes.refusal_reason(reason, MAX_NOTE)
    _check_decider(admin, request)
    _decide(request, admin, RequestStatus.REFUSED, refusal_reason=reason)
    audit.record(admin, f"{request.kind}_request.refused", request, request.user_id, points=request.points,
                 reason=reason)


def pending_requests():
    query = (
        select(AwardRequest)
        .where(AwardRequest.status == RequestStatus.PENDING)
        .order_by(AwardRequest.requested_at)
    )
    return db.session.execute(query).scalars().all()


def get_request(request_id):
    request = db.session.get(AwardRequest, request_id)
    if request is None:
        raise NotFound(_l("No such award request."))
    return request


def _check_award(actor, resident, points, action_type, note):
    """Who may give what; the body's shape was checked by its schema, these are the rules (409)."""
    if actor.id == resident.id:
        raise Forbidden(_l("You cannot give points to yourself."), code="own_award")
    reach.in_reach(actor, resident, field="user_id")
    if not resident.has_role(Role.RESIDENT) or not resident.active:
        raise Refusal(_l("Points can only be given to an active resident."), field="user_id", code="not_a_resident")
    if points == 0 or abs(points) > MAX_POINTS:
        raise Refusal(_l("Points must be a whole number from -10000 to 10000, not 0."), field="points",
                      code="points_out_of_range")
    if action_type is not None and not action_type.active:
        raise Refusal(_l("This action is no longer in use."), field="action_type_id", code="action_retired")
    if action_type is not None and (action_type.points < 0) != (points < 0):
        raise Refusal(_l("The points do not match this kind of action."), field="points", code="points_mismatch")
    if not note and action_type is None:
        raise Refusal(_l("Please give a reason."), field="note", code="reason_missing")


def _check_catalogue(actor, points, action_type, quantity, note):
    """An award under an action gives what the catalogue says, times the quantity; an admin may give
    other points only with a reason, which the history keeps (the memo's reason is the note)."""
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= MAX_QUANTITY:
        raise Invalid(_l("The quantity is a whole number from 1 to %(most)d.", most=MAX_QUANTITY), field="quantity")
    if action_type is None:
        if quantity != 1:
            raise Refusal(_l("A quantity counts an action: please choose the kind of action."), field="quantity",
                          code="quantity_without_action")
        return
    if points == action_type.points * quantity or actor.has_role(Role.ADMIN) and note:
        return
    raise Refusal(
        _l("“%(action)s” is worth %(each)d points a time, so a quantity of %(quantity)d gives %(total)d points. "
           "Only an admin who gives a reason can give a different number.", action=action_type.name,
           each=action_type.points, quantity=quantity, total=action_type.points * quantity),
        field="points", code="points_not_catalogue",
    )


def _request_approval(actor, resident, points, action_type, note, key):
    """One request per key: a resubmitted form or a retried call finds the one it made."""
    existing = db.session.execute(select(AwardRequest).where(AwardRequest.request_key == key)).scalar()
    if existing is not None:
        return existing
    request = AwardRequest(
        user_id=resident.id, points=points, action_type=action_type, note=note, requested_by=actor.id,
        request_key=key,
    )
    db.session.add(request)
    db.session.flush()
    audit.record(actor, "award.requested", request, resident, points=points, reason=note)
    return request


FOUR_EYES = {
    RequestKind.AWARD: _l("A second admin must approve an award you asked for."),
    RequestKind.REVERSAL: _l("A second admin must approve a reversal you asked for."),
}


def _check_decider(admin, request):
    if not admin.has_role(Role.ADMIN):
        raise Forbidden(_l("Only an admin can decide on large awards."))
    if admin.id == request.requested_by:
        raise Forbidden(FOUR_EYES[request.kind], code="four_eyes")
    if request.status != RequestStatus.PENDING:
        raise Refusal(_l("This award request has already been decided."), code="already_decided")


def _decide(request, admin, status, **changes):
    four_eyes.decide_once(request, RequestStatus.PENDING, status, admin, _l("This award request has already been decided."), **changes)


def _memo(requester, action_type, note, approved_by, ref=(None, None)):
    reason = note or (action_type.name_zh if action_type else "")
    return ledger.Memo(
        reason=reason, category=action_type.category if action_type else None,
        requested_by=requester.id, approved_by=approved_by, ref_type=ref[0], ref_id=ref[1],
    )


def find_action_type(action_type_id):
    if action_type_id is None:
        return None
    action_type = db.session.get(ActionType, action_type_id)
    if action_type is None:
        raise NotFound(_l("No such action."), field="action_type_id")
    return action_type
