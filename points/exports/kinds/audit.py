"""The audit log: who did what, for whom, when and from where (admins only)."""
import json

from flask_babel import gettext as _
from sqlalchemy import select

from points import audit as audit_log
from points.accounts.models import User
from points.exports.kinds.common import clock, in_communities, in_days, labels, wall_clock

ENTRIES, USERS = audit_log.AuditEntry.__table__, User.__table__


def header():
    return [_("Number"), _("Time"), _("Done by"), _("Action"), _("Done for"), _("Object"), _("Object id"),
            _("What changed"), _("Address")]


def query(scope):
    """Entries of the scope's days, oldest first; a community chosen keeps those done for its residents."""
    actor, resident = USERS.alias("actor"), USERS.alias("resident")
    e = ENTRIES
    return (
        select(e.c.id, wall_clock(e.c.created_at), actor.c.name, e.c.action, resident.c.name, e.c.target_type,
               e.c.target_id,
               e.c.details, e.c.address)
        .outerjoin(actor, actor.c.id == e.c.actor_id)
        .outerjoin(resident, resident.c.id == e.c.for_user_id)
        .where(in_days(scope, e.c.created_at), in_communities(scope, resident.c.community_id))
        .order_by(e.c.id)
    )


def cells(scope):
    shown, actions = clock(), labels(audit_log.action_label)
    command = _("A command on the server")

    def row_cells(row):
        number, at, actor, action, resident, target_type, target_id, details, address = row
        return [number, shown(at), actor or command, actions(action), resident or "", target_type or "",
                target_id if target_id is not None else "", json.dumps(details or {}, ensure_ascii=False),
                address or ""]

    return row_cells
