"""Schemas of the activities API (志愿活动): create, list, check in, close."""
import marshmallow as ma
from flask_babel import lazy_gettext as _l

from points.accounts.models import mask_name
from points.api.schemas import WholeNumber, at_most, between, id_field, line, matching
from points.earning.activities import MAX_POINTS
from points.timeutil import as_utc


class ActivityIn(ma.Schema):
    title = line(200, required=True, metadata={"example": "楼道清扫志愿活动"})
    starts_at = ma.fields.AwareDateTime(required=True, metadata={"description": "With its UTC offset"})
    ends_at = ma.fields.AwareDateTime(load_default=None, allow_none=True)
    place = line(200, load_default="")
    action_type_id = id_field(required=True)
    points = WholeNumber(required=True, strict=True, validate=between(1, MAX_POINTS),
                               metadata={"description": "Awarded to each participant when the activity closes"})
    community_id = id_field(
        load_default=None, allow_none=True,
        metadata={"description": "Admins choose; a reviewer's activity is always in their own community"},
    )


class ActivityOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    place = ma.fields.String(required=True)
    action_type_id = ma.fields.Integer(required=True)
    points = ma.fields.Integer(required=True)
    community_id = ma.fields.Integer(allow_none=True, required=True)
    organiser_id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": ["open", "closed"]})
    closed_at = ma.fields.AwareDateTime(allow_none=True, required=True)


class ActivityList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ActivityOut), required=True)


class ParticipantIn(ma.Schema):
    member_code = ma.fields.String(load_default=None, allow_none=True,
                                   validate=[at_most(200), matching(r"^[\x21-\x7e]*$")],
                                   metadata={"description": "From the member QR on the phone (M1.) or a card (C1.)"})
    phone = ma.fields.String(load_default=None, allow_none=True, validate=matching(r"^1\d{10}$"),
                             metadata={"description": "For residents without either"})

    # The document says what the check below says: one of the two, as a string.
    ONE_OF_THEM = {"anyOf": [{"required": [name], "properties": {name: {"type": "string", "minLength": 1}}}
                             for name in ("member_code", "phone")]}

    @ma.validates_schema
    def _one_of_them(self, data, **_kwargs):
        if not (data.get("member_code") or data.get("phone")):
            raise ma.ValidationError(_l("Please scan the member code or enter the mobile number."),
                                     field_name="member_code")


class ParticipantOut(ma.Schema):
    result = ma.fields.String(required=True, metadata={"enum": ["checked_in", "already_checked_in"]})
    user_id = ma.fields.Function(lambda check: check.resident.id, required=True)
    name = ma.fields.Function(lambda check: mask_name(check.resident.name), required=True,
                              metadata={"description": "Masked (张*)"})
    method = ma.fields.Function(lambda check: check.participation.method, required=True)
    checked_in_at = ma.fields.Function(lambda check: as_utc(check.participation.checked_in_at).isoformat(), required=True)


class AwardedOut(ma.Schema):
    user_id = ma.fields.Integer(required=True)
    points = ma.fields.Integer(required=True, metadata={"description": "Actually awarded; a cap may cut it to 0"})
    transfer_id = ma.fields.Integer(allow_none=True, required=True)


class ClosedOut(ma.Schema):
    activity = ma.fields.Nested(ActivityOut, required=True)
    awarded = ma.fields.List(ma.fields.Nested(AwardedOut), required=True)
