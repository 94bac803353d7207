"""Corrections: an admin reverses a mistaken transfer, with a reason; above the four-eyes threshold
the reversal waits for a second, different admin, in the same queue as large awards.

A reversal is the transfer's mirror image (points.ledger.reverse): reversing an award takes its
points back and lowers the resident's earned total; reversing a deduction or a redemption gives the
points back (a redemption's from the venue's account). It is refused when the resident has spent
what it would take back: nothing is written then.
"""
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from points import audit, ledger, text
from points.accounts.models import Role, User
from points.atomic import atomic
from points.earning.models import AwardRequest, RequestKind, RequestStatus
from points.errors import Forbidden, NotFound, Refusal
from points.extensions import db
from points.ledger import Account, AccountKind, Transfer, TransferKind

MAX_REASON = 500

# Why each kind the ledger will not reverse cannot be, said to the admin who tried.
WHY_NOT = {
    TransferKind.HOLD: _l("Points on hold are not reversed: cancel the booking, and they come back."),
    TransferKind.RELEASE: _l("This gave back points that were on hold; it cannot be reversed."),
    TransferKind.REDEMPTION: _l("This spent points on hold when the resident checked in; it cannot be reversed."),
    TransferKind.REVERSAL: _l("This is a correction itself and cannot be reversed. Award or deduct points instead."),
    TransferKind.EXPIRY: _l("Expired points were cleared by the year-end rule; an expiry cannot be reversed."),
}


@atomic
def reverse(admin, transfer, reason, key):
    """Reverse `transfer` for `reason`. Returns ("posted", Record) or ("pending", AwardRequest)."""
    _check_admin(admin)
    reason = text.paragraph(reason, most=MAX_REASON, field="reason", required=True)
    _check_reversible(transfer)
    resident = resident_of(transfer)
    if transfer.amount > current_app.config["FOUR_EYES_THRESHOLD"]:
        return "pending", _request_approval(admin, transfer, resident, reason, key)
    record = _post(transfer, resident, key, ledger.Memo(reason=reason, requested_by=admin.id, approved_by=admin.id))
    # A retry under the same key is answered with the reversal already written: one audit row.
    audit.record_once(admin, "transfer.reversed", transfer, resident, reason=reason, reversal_id=record.id)
    return "posted", record


def post_requested(admin, request):
    """The second admin's yes to a waiting reversal (points.earning.awards.approve decides the request)."""
    memo = ledger.Memo(reason=request.note, requested_by=request.requested_by, approved_by=admin.id,
                       ref_type="award_request", ref_id=request.id)
    return _post(request.original, request.resident, f"award-request:{request.id}", memo)


def get_transfer(transfer_id, resident=None):
    """The transfer; with `resident`, only one that moved their points (another is not on their page)."""
    transfer = db.session.get(Transfer, transfer_id)
    if transfer is None or resident is not None and not _moved_points_of(transfer, resident):
        raise NotFound(_l("No such entry in the points history."))
    return transfer


def resident_of_or_none(transfer):
    """The resident whose account the transfer moved points in or out of, if any."""
    query = (select(User).join(Account, Account.user_id == User.id)
             .where(Account.id.in_([transfer.debit_account_id, transfer.credit_account_id]),
                    Account.kind == AccountKind.RESIDENT))
    return db.session.execute(query).scalar()


def resident_of(transfer):
    resident = resident_of_or_none(transfer)
    if resident is None:
        raise ledger.NotReversible(_l("This entry moved no resident's points; it cannot be reversed here."))
    return resident


def _moved_points_of(transfer, resident):
    return ledger.account_of(resident.id) in (transfer.debit_account_id, transfer.credit_account_id)


def _check_admin(admin):
    if not admin.has_role(Role.ADMIN):
        raise Forbidden(_l("Only an admin can reverse an entry."))


def _check_reversible(transfer):
    if not ledger.reversible(transfer.kind, transfer.pending_id):
        raise ledger.NotReversible(WHY_NOT.get(transfer.kind))


def _post(transfer, resident, key, memo):
    try:
        return ledger.reverse(transfer.id, key, memo)
    except ledger.InsufficientPoints:
        available = ledger.balance(resident.id).available
        raise ledger.InsufficientPoints(_l(
            "%(name)s has already spent some of these points: reversing takes back %(amount)d, and only "
            "%(available)d are available. Nothing was changed.",
            name=resident.name, amount=transfer.amount, available=available,
        )) from None


def _already_waiting():
    return Refusal(_l("A reversal of this entry is already waiting for a second admin."), code="reversal_pending")


def _request_approval(admin, transfer, resident, reason, key):
    """One request per key (a resubmitted form or a retried call finds it), one waiting per transfer."""
    existing = db.session.execute(select(AwardRequest).where(AwardRequest.request_key == key)).scalar()
    if existing is not None:
        return existing
    if db.session.execute(select(Transfer.id).where(Transfer.reverses_id == transfer.id)).first():
        raise ledger.AlreadyReversed()
    if db.session.execute(select(AwardRequest.id).where(
            AwardRequest.reverses_id == transfer.id, AwardRequest.status == RequestStatus.PENDING)).first():
        raise _already_waiting()
    request = AwardRequest(kind=RequestKind.REVERSAL, reverses_id=transfer.id, user_id=resident.id,
                           points=transfer.amount, note=reason, requested_by=admin.id, request_key=key)
    try:
        with db.session.begin_nested():  # another admin's request at the same moment: the unique index decides
            db.session.add(request)
    except IntegrityError:
        raise _already_waiting() from None
    audit.record(admin, "reversal.requested", target=request, for_user=resident, reason=reason,
                 transfer_id=transfer.id)
    return request
