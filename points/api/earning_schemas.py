"""Schemas of the earning API: the action catalogue and claims."""
import marshmallow as ma
from flask import url_for
from flask_babel import lazy_gettext as _l

from points.accounts.models import mask_phone
from points.api import schemas  # noqa: F401  (marshmallow's messages made translatable there)
from points.api.schemas import WholeNumber, between, id_field, line, matching, one_of, paragraph
from points.earning.catalogue import CATEGORIES, CODE_PATTERN
from points.earning.models import ClaimStatus, Unit

CAP = dict(load_default=None, allow_none=True, strict=True, validate=between(1, 100_000),
           metadata={"description": "Points per resident; null means no cap"})


class ActionTypeIn(ma.Schema):
    code = ma.fields.String(required=True, validate=matching(CODE_PATTERN.pattern),
                            metadata={"example": "stairwell_clean"})
    name_zh = line(100, required=True)
    name_en = line(100, required=True)
    category = ma.fields.String(required=True, validate=one_of(list(CATEGORIES)))
    points = WholeNumber(
        required=True, strict=True,
        validate=[between(-1000, 1000), ma.validate.NoneOf([0], error=_l("Please enter a number other than 0."))],
        metadata={"description": "Per unit, not 0; negative for a deduction item (扣分)", "not": {"enum": [0]}},
    )
    unit = ma.fields.String(load_default=Unit.TIME.value, validate=one_of([u.value for u in Unit]))
    daily_cap = WholeNumber(**CAP)
    monthly_cap = WholeNumber(**CAP)
    evidence_required = ma.fields.Boolean(load_default=False)
    self_claimable = ma.fields.Boolean(
        load_default=None, allow_none=True,
        metadata={"description": "Default: true, except for deductions, which are never self-claimable"},
    )


class ActionTypeOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True, metadata={"description": "In the request's language"})
    name_zh = ma.fields.String(required=True)
    name_en = ma.fields.String(required=True)
    category = ma.fields.String(required=True)
    points = ma.fields.Integer(required=True)
    unit = ma.fields.String(required=True)
    daily_cap = ma.fields.Integer(allow_none=True, required=True)
    monthly_cap = ma.fields.Integer(allow_none=True, required=True)
    evidence_required = ma.fields.Boolean(required=True)
    self_claimable = ma.fields.Boolean(required=True)
    active = ma.fields.Boolean(required=True)
    is_deduction = ma.fields.Boolean(required=True)


class ClaimIn(ma.Schema):
    """As JSON, or as multipart/form-data fields beside the `photos` files."""

    action_type_id = id_field(strict=False, required=True)
    occurred_on = ma.fields.Date(required=True, metadata={"description": "The day of the action, e.g. 2026-11-26"})
    quantity = WholeNumber(load_default=1, validate=between(1, 24),
                                 metadata={"description": "Times or hours, as the action's unit says"})
    note = paragraph(500, load_default="")
    user_id = id_field(
        strict=False,
        metadata={"description": "A reviewer submitting for a resident; default: the signed-in person"},
    )


class ClaimUpload(ClaimIn):
    photos = ma.fields.List(
        ma.fields.Raw(metadata={"type": "string", "format": "binary"}), load_default=list,
        metadata={"description": "JPEG, PNG or WebP photos; re-encoded without EXIF on the server"},
    )


class ClaimQuery(ma.Schema):
    status = ma.fields.String(load_default=None, validate=one_of([s.value for s in ClaimStatus]))
    limit = WholeNumber(load_default=50, validate=between(1, 100))
    cursor = ma.fields.String(load_default=None, validate=matching(r"^[1-9][0-9]{0,17}$"),
                              metadata={"description": "next_cursor from the previous page"})


class RejectIn(ma.Schema):
    reason = paragraph(500, required=True)


class ResidentOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    phone = ma.fields.Function(lambda user: mask_phone(user.phone), required=True,
                               metadata={"description": "Masked, e.g. 138****1234"})


class PhotoOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    width = ma.fields.Integer(required=True)
    height = ma.fields.Integer(required=True)
    size = ma.fields.Integer(required=True)
    url = ma.fields.Function(
        lambda photo: url_for("claims.claim_photo", claim_id=photo.claim_id, photo_id=photo.id), required=True,
    )


class ClaimActionOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    unit = ma.fields.String(required=True)


class ClaimOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    user_id = ma.fields.Integer(required=True)
    resident = ma.fields.Nested(ResidentOut, required=True)
    community_id = ma.fields.Integer(allow_none=True)
    action_type = ma.fields.Nested(ClaimActionOut, required=True)
    occurred_on = ma.fields.Date(required=True)
    quantity = ma.fields.Integer(required=True)
    points = ma.fields.Integer(required=True)
    note = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"description": "pending, approved, rejected or withdrawn"})
    submitted_by = ma.fields.Integer(required=True)
    created_at = ma.fields.DateTime(required=True)
    decided_by = ma.fields.Integer(allow_none=True)
    decided_at = ma.fields.DateTime(allow_none=True)
    decision_reason = ma.fields.String(required=True)
    transfer_id = ma.fields.Integer(allow_none=True)
    photos = ma.fields.List(ma.fields.Nested(PhotoOut), required=True)


class ClaimPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ClaimOut), required=True)
    next_cursor = ma.fields.String(allow_none=True, required=True)
