"""Request and response schemas: they validate the requests and generate the OpenAPI document."""
import marshmallow as ma
from flask_babel import lazy_gettext as _l

from points import text
from points.accounts.operations import MIN_PASSWORD_LENGTH
from points.routing import BIGGEST_ID
from points.timeutil import EARLIEST_DAY, LATEST_DAY

# Marshmallow's own messages, made translatable (the validators' messages come from the helpers below).
ma.fields.Field.default_error_messages.update({
    "required": _l("This field is required."),
    "null": _l("This field may not be empty."),
    "validator_failed": _l("This value is not valid."),
})
ma.fields.Integer.default_error_messages.update({"invalid": _l("Please enter a whole number.")})
ma.fields.Number.default_error_messages.update({"too_large": _l("This number is too large.")})
ma.fields.String.default_error_messages.update({"invalid": _l("Please enter text.")})
ma.fields.Boolean.default_error_messages.update({"invalid": _l("Please answer true or false.")})
ma.fields.Date.default_error_messages.update({"invalid": _l("Please enter a date such as 2026-12-01.")})
ma.fields.DateTime.default_error_messages.update({
    "invalid": _l("Please enter a date and time such as 2026-12-01T19:00:00+08:00."),
    "invalid_awareness": _l("Please give the time with its offset, such as +08:00."),
})
ma.fields.List.default_error_messages.update({"invalid": _l("Please send a list.")})
ma.fields.Nested.default_error_messages.update({"type": _l("Please send an object.")})
ma.Schema._default_error_messages = {
    "type": _l("The request body must be a JSON object."),
    "unknown": _l("This field is not known."),
}


class WholeNumber(ma.fields.Integer):
    """An integer that refuses 2.5 instead of truncating it (marshmallow's Integer would give 2)."""

    def _validated(self, value):
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


def between(low=None, high=None):
    """A range check whose message is in the reader's language."""
    if low is not None and high is not None:
        message = _l("Please enter a number from {min} to {max}.")
    elif low is not None:
        message = _l("Please enter a number of at least {min}.")
    else:
        message = _l("Please enter a number of at most {max}.")
    return ma.validate.Range(min=low, max=high, error=message)


def Day(**options):
    """A day of the scheme's calendar, as 2026-12-01, between EARLIEST_DAY and LATEST_DAY."""
    message = _l("Please enter a date from {min} to {max}.")
    # The document says as much: a format alone would let a client send year 1.
    metadata = {"pattern": r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$", **options.pop("metadata", {})}
    return ma.fields.Date(validate=ma.validate.Range(min=EARLIEST_DAY, max=LATEST_DAY, error=message),
                          metadata=metadata, **options)


def one_of(choices):
    return ma.validate.OneOf(choices, error=_l("Please choose one of: {choices}."))


def at_most(most):
    return ma.validate.Length(max=most, error=_l("Please keep this to at most {max} characters."))


def matching(pattern):
    return ma.validate.Regexp(pattern, error=_l("This value is not in the expected form."))


class Text(ma.fields.String):
    """A line or a paragraph under the text rule (points.text): trimmed, checked, its pattern documented."""

    def __init__(self, rule, most, **kwargs):
        self.rule, self.most = rule, most
        required = kwargs.get("required", False)
        metadata = {"pattern": rule.pattern(required), "maxLength": most, **kwargs.pop("metadata", {})}
        if required:
            metadata["minLength"] = 1
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            return self.rule.check(value, most=self.most, required=self.required)
        except text.BadText as refusal:
            raise ma.ValidationError(str(refusal)) from None


def line(most, **kwargs):
    """A name, a title, a search (points.text.line)."""
    return Text(text.LINE, most, **kwargs)


def paragraph(most, **kwargs):
    """A note, a reason, a venue's rules (points.text.paragraph)."""
    return Text(text.PARAGRAPH, most, **kwargs)


def id_field(strict=True, **kwargs):
    """A reference to a row: a positive integer a database id column can hold."""
    return WholeNumber(strict=strict, validate=between(1, BIGGEST_ID), **kwargs)


class ErrorDetail(ma.Schema):
    code = ma.fields.String(required=True, metadata={"example": "insufficient_points"})
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict(metadata={"description": "Messages per field, for invalid requests"})


class Error(ma.Schema):
    error = ma.fields.Nested(ErrorDetail, required=True)


class TokenRequest(ma.Schema):
    phone = ma.fields.String(required=True, validate=at_most(20))  # any text: a malformed phone names nobody (401)
    password = ma.fields.String(required=True, load_only=True, validate=at_most(200))


class ActivateRequest(ma.Schema):
    phone = ma.fields.String(required=True, validate=at_most(20))  # any text: a malformed phone names nobody
    code = ma.fields.String(required=True, validate=at_most(40),
                            metadata={"description": "the 8 digits from the community office; spaces do not matter"})
    password = ma.fields.String(required=True, load_only=True, validate=at_most(200),  # the rule checks the rest
                                metadata={"description": "the new password", "minLength": MIN_PASSWORD_LENGTH})


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


class ExpiringOut(ma.Schema):
    points = ma.fields.Integer(required=True)
    on = ma.fields.Date(required=True, metadata={"description": "the last day these points can be spent"})


class MeOut(UserOut):
    balance = ma.fields.Nested(BalanceOut, required=True)
    expiring = ma.fields.Nested(ExpiringOut, allow_none=True, metadata={
        "description": "points the year-end clearing will take, from 30 days before; null otherwise"})


class TokenOut(ma.Schema):
    token = ma.fields.String(required=True)
    expires_at = ma.fields.DateTime(required=True)
    user = ma.fields.Nested(UserOut, required=True)


class LedgerQuery(ma.Schema):
    limit = WholeNumber(load_default=20, validate=between(1, 100))
    cursor = ma.fields.String(
        load_default=None, validate=matching(r"^[1-9][0-9]{0,17}$"),
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
    reverses_id = ma.fields.Integer(allow_none=True, metadata={"description": "A reversal: the entry it undid"})
    reversed_by = ma.fields.Integer(allow_none=True, metadata={"description": "The reversal that undid this entry"})


class LedgerPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(LedgerItem), required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True)


class AwardIn(ma.Schema):
    user_id = id_field(required=True)
    points = WholeNumber(
        required=True, strict=True, metadata={"description": "Negative points deduct"}, validate=between(-10_000, 10_000),
    )
    action_type_id = id_field(load_default=None, allow_none=True)
    quantity = WholeNumber(
        load_default=1, strict=True, validate=between(1, 100),
        metadata={"description": "With action_type_id: times or hours. Points must be the action's points × "
                                 "quantity, unless an admin gives a note (409 points_not_catalogue)"},
    )
    note = paragraph(500, load_default="")


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
    kind = ma.fields.String(required=True, metadata={"description": "award, or reversal"})
    reverses_id = ma.fields.Integer(allow_none=True, metadata={"description": "The transfer a reversal undoes"})


class ReverseIn(ma.Schema):
    reason = paragraph(500, required=True, metadata={"description": "Why the entry is reversed; kept on the reversal"})


class ReversalOut(ma.Schema):
    status = ma.fields.String(required=True, metadata={"description": "posted, or pending_approval"})
    id = ma.fields.Integer(metadata={"description": "The reversal's transfer id (posted)"})
    kind = ma.fields.String(metadata={"example": "reversal"})
    reverses_id = ma.fields.Integer(required=True)
    amount = ma.fields.Integer(required=True)
    request_id = ma.fields.Integer(metadata={"description": "The request waiting for a second admin (pending_approval)"})
    balance = ma.fields.Nested(BalanceOut, metadata={"description": "The resident's balance after it (posted)"})


class RefuseIn(ma.Schema):
    reason = paragraph(500, required=True)
