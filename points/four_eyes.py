"""Requests that wait for a second admin (large awards and reversals, year-end clearings): each is
decided once, by someone other than who asked."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from points import text
from points.errors import Invalid, Refusal
from points.extensions import db
from points.timeutil import now_utc


def decide_once(request, waiting, status, admin, already_decided, **changes):
    """Mark the request decided; a concurrent second decision finds it no longer `waiting` and is
    refused with the message `already_decided`."""
    model = type(request)
    result = db.session.execute(
        update(model)
        .where(model.id == request.id, model.status == waiting)
        .values(status=status, decided_by=admin.id, decided_at=now_utc(), **changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Refusal(already_decided, code="already_decided")
    db.session.refresh(request)


def refusal_reason(reason, most):
    """The reason a second admin gives for refusing: required, as the requester reads it."""
    reason = text.paragraph(reason, most=most, field="reason")
    if not reason:
        raise Invalid(_l("Please give a reason for refusing."), field="reason")
    return reason
