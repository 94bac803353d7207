"""Request and response schemas: they validate the requests and generate the OpenAPI document."""
import marshmallow as ma
from flask_babel import lazy_gettext as _l

from points.routing import BIGGEST_ID

# Marshmallow's own messages, made translatable.
ma.fields.Field.default_error_messages.update({
    "required": _l("This field is required."),
    "null": _l("This field may not be empty."),
    "validator_failed": _l("This value is not valid."),
})
ma.fields.Integer.default_error_messages.update({"invalid": _l("Please enter a whole number.")})
ma.fields.String.default_error_messages.update({"invalid": _l("Please enter text.")})
ma.Schema._default_error_messages = {
    "type": _l("The request body must be a JSON object."),
    "unknown": _l("This field is not known."),
}


def id_field(strict=True, **kwargs):
    """A reference to a row: a positive integer a database id column can hold."""
    return ma.fields.Integer(strict=strict, validate=ma.validate.Range(min=1, max=BIGGEST_ID), **kwargs)


class ErrorDetail(ma.Schema):
    code = ma.fields.String(required=True, metadata={"example": "insufficient_points"})
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict(metadata={"description": "Messages per field, for invalid requests"})


class Error(ma.Schema):
    error = ma.fields.Nested(ErrorDetail, required=True)


class TokenRequest(ma.Schema):
    phone = ma.fields.String(required=True, validate=ma.validate.Length(max=20))
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(max=200))


class BalanceOut(ma.Schema):
    available = ma.fields.Integer(required=True)
    held = ma.fields.Integer(required=True)
    earned_total = ma.fields.Integer(required=True)


class CommunityOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class UserOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    phone = ma.fields.String(required=True, metadata={"description": "Masked, e.g. 138****1234"})
    roles = ma.fields.List(ma.fields.String(), required=True)
    community = ma.fields.Nested(CommunityOut, allow_none=True)


class MeOut(UserOut):
    balance = ma.fields.Nested(BalanceOut, required=True)


class TokenOut(ma.Schema):
    token = ma.fields.String(required=True)
    expires_at = ma.fields.DateTime(required=True)
    user = ma.fields.Nested(UserOut, required=True)


class LedgerQuery(ma.Schema):
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))
    cursor = ma.fields.String(
        load_default=None, validate=ma.validate.Regexp(r"^[1-9][0-9]{0,17}$"),
        metadata={"description": "next_cursor from the previous page (opaque)"},
    )


class LedgerItem(ma.Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True)
    amount = ma.fields.Integer(required=True, metadata={"description": "Always positive"})
    change = ma.fields.Integer(required=True, metadata={"description": "Effect on the available balance"})
    on_hold = ma.fields.Boolean(required=True, metadata={"description": "A hold not yet settled"})
    reason = ma.fields.String()
    category = ma.fields.String(allow_none=True)
    ref_type = ma.fields.String(allow_none=True)
    ref_id = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.DateTime(required=True)


class LedgerPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(LedgerItem), required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True)


class AwardIn(ma.Schema):
    user_id = id_field(required=True)
    points = ma.fields.Integer(
        required=True, strict=True, metadata={"description": "Negative points deduct"},
        validate=ma.validate.Range(min=-10_000, max=10_000),
    )
    action_type_id = id_field(load_default=None, allow_none=True)
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=500))


class AwardOut(ma.Schema):
    status = ma.fields.String(required=True, metadata={"description": "posted, or pending_approval"})
    transfer_id = ma.fields.Integer(allow_none=True)
    request_id = ma.fields.Integer(allow_none=True)
    balance = ma.fields.Nested(BalanceOut)


class AwardRequestOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    user_id = ma.fields.Integer(required=True)
    points = ma.fields.Integer(required=True)
    note = ma.fields.String()
    status = ma.fields.String(required=True)
    requested_by = ma.fields.Integer(required=True)
    requested_at = ma.fields.DateTime(required=True)
    decided_by = ma.fields.Integer(allow_none=True)
    decided_at = ma.fields.DateTime(allow_none=True)
    refusal_reason = ma.fields.String()
    transfer_id = ma.fields.Integer(allow_none=True)


class RefuseIn(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))


class Health(ma.Schema):
    status = ma.fields.String(required=True)
