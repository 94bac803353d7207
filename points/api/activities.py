"""Volunteer activities through the API: create, list, check participants in, close (award all)."""
from flask import g
from points.api.blueprint import Blueprint

from points.accounts.models import Role
from points.api.activity_schemas import ActivityIn, ActivityList, ActivityOut, ClosedOut, ParticipantIn, ParticipantOut
from points.api.auth import token_required
from points.earning import activities
from points.idempotency import idempotent

blp = Blueprint("activities", __name__, url_prefix="/api/v1", description="Volunteer activities (志愿活动)")
ORGANISERS = (Role.REVIEWER, Role.ADMIN)


@blp.post("/activities")
@token_required(*ORGANISERS)
@idempotent
@blp.arguments(ActivityIn)
@blp.response(201, ActivityOut)
def create_activity(body):
    """Organise an activity; a reviewer's is in their own community."""
    return activities.create(g.api_user, body["title"], body["starts_at"], body["ends_at"], body["place"],
                             body["action_type_id"], body["points"], body["community_id"])


@blp.get("/activities")
@token_required(*ORGANISERS)
@blp.response(200, ActivityList)
def list_activities():
    """A reviewer's community's activities, or all for an admin; newest first (at most 100)."""
    return {"items": activities.activities_for(g.api_user)}


@blp.post("/activities/<int:activity_id>/participants")
@token_required(*ORGANISERS)
@idempotent
@blp.arguments(ParticipantIn)
@blp.response(200, ParticipantOut)
def check_in(body, activity_id):
    """Check a resident in by member code or mobile number; a second time answers already_checked_in."""
    activity = activities.visible(g.api_user, activity_id)
    return activities.check_in(g.api_user, activity, body["member_code"], body["phone"])


@blp.post("/activities/<int:activity_id>/close")
@token_required(*ORGANISERS)
@idempotent
@blp.response(200, ClosedOut)
def close_activity(activity_id):
    """Close and award every participant once (caps honoured); closing again is refused with 409."""
    activity = activities.visible(g.api_user, activity_id)
    rows = activities.close(g.api_user, activity)
    return {"activity": activity, "awarded": [participation for participation, _resident in rows]}
