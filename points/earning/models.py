"""What earns points (the action catalogue) and awards waiting for a second admin."""
import enum
import hashlib
from datetime import date, datetime

from flask_babel import get_locale
from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from points.accounts.models import User
from points.extensions import db, str_enum
from points.ledger.models import Transfer
from points.timeutil import now_utc


class Unit(enum.StrEnum):
    TIME = "time"  # 次
    HOUR = "hour"  # 小时


class ActionType(db.Model):
    """A civic action that earns points, or (negative points) a deduction item."""

    __tablename__ = "action_types"
    __table_args__ = (
        CheckConstraint("points <> 0", name="points_not_zero"),
        CheckConstraint("daily_cap IS NULL OR daily_cap > 0", name="daily_cap_positive"),
        CheckConstraint("monthly_cap IS NULL OR monthly_cap > 0", name="monthly_cap_positive"),
        CheckConstraint("points > 0 OR NOT self_claimable", name="deductions_not_self_claimed"),
        CheckConstraint("daily_cap IS NULL OR monthly_cap IS NULL OR daily_cap <= monthly_cap", name="caps_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(40))
    points: Mapped[int]
    unit: Mapped[Unit] = mapped_column(
        str_enum(Unit, "unit"),
        default=Unit.TIME,
    )
    daily_cap: Mapped[int | None]
    monthly_cap: Mapped[int | None]
    evidence_required: Mapped[bool] = mapped_column(default=False)
    self_claimable: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def name(self):
        return self.name_en if str(get_locale()).startswith("en") else self.name_zh

    @property
    def is_deduction(self):
        return self.points < 0


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class RequestKind(enum.StrEnum):
    AWARD = "award"
    REVERSAL = "reversal"  # of a transfer above the threshold (points.earning.corrections)


class AwardRequest(db.Model):
    """An award, or the reversal of a transfer, above the four-eyes threshold: posted only when a
    second, different admin agrees. An approved request names the transfer it posted."""

    __tablename__ = "award_requests"
    __table_args__ = (
        CheckConstraint("points > 0", name="points_positive"),
        CheckConstraint("decided_by IS NULL OR decided_by <> requested_by", name="four_eyes"),
        CheckConstraint("status <> 'approved' OR transfer_id IS NOT NULL", name="approved_names_transfer"),
        CheckConstraint("(kind = 'reversal') = (reverses_id IS NOT NULL)", name="reversal_names_original"),
        CheckConstraint("kind = 'award' OR action_type_id IS NULL", name="reversal_has_no_action"),
        # One reversal of a transfer waits at a time (a refused one may be asked for again).
        Index("uq_award_requests_one_pending_reversal", "reverses_id", unique=True,
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RequestKind] = mapped_column(str_enum(RequestKind, "request_kind"), default=RequestKind.AWARD)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    points: Mapped[int]
    action_type_id: Mapped[int | None] = mapped_column(ForeignKey("action_types.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus, "request_status"),
        default=RequestStatus.PENDING, index=True,
    )
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=now_utc)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"))
    request_key: Mapped[str | None] = mapped_column(String(200), unique=True)  # a resubmission finds it
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"))  # what a reversal undoes

    resident: Mapped[User] = relationship(foreign_keys=[user_id])
    requester: Mapped[User] = relationship(foreign_keys=[requested_by])
    decider: Mapped[User | None] = relationship(foreign_keys=[decided_by])
    action_type: Mapped[ActionType | None] = relationship()
    original: Mapped[Transfer | None] = relationship(foreign_keys=[reverses_id])


class ClaimStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Claim(db.Model):
    """A resident's 申报: they did a civic action on a day and ask for its points."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("points > 0", name="points_positive"),
        CheckConstraint("status <> 'approved' OR transfer_id IS NOT NULL", name="approved_names_transfer"),
        # Nobody decides a claim they submitted or that is theirs (a withdrawal names no decider).
        CheckConstraint("decided_by IS NULL OR (decided_by <> submitted_by AND decided_by <> user_id)",
                        name="decided_by_another"),
        # The same action on the same day is claimed once (a rejected or withdrawn claim may be redone).
        Index(
            "uq_claims_one_live_per_day", "user_id", "action_type_id", "occurred_on", unique=True,
            sqlite_where=text("status IN ('pending', 'approved')"),
            postgresql_where=text("status IN ('pending', 'approved')"),
        ),
        Index("ix_claims_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))  # who reviews it
    action_type_id: Mapped[int] = mapped_column(ForeignKey("action_types.id"))
    occurred_on: Mapped[date]
    quantity: Mapped[int]
    points: Mapped[int]  # quantity x the action's points when claimed
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ClaimStatus] = mapped_column(str_enum(ClaimStatus, "claim_status"), default=ClaimStatus.PENDING)
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))  # a reviewer may act for a resident
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"))

    resident: Mapped[User] = relationship(foreign_keys=[user_id])
    action_type: Mapped[ActionType] = relationship()
    photos: Mapped[list["ClaimPhoto"]] = relationship(back_populates="claim", order_by="ClaimPhoto.id")


class Blob(db.Model):
    """The bytes of an uploaded file, kept in the database so that every instance of the app serves it.

    Written once and never changed: the digest is its ETag, and browsers may keep it for good.
    """

    __tablename__ = "blobs"
    __table_args__ = (CheckConstraint("size = length(data)", name="size_is_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # read only when the file is served
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    @classmethod
    def of(cls, data, content_type):
        return cls(data=data, content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest())


class ClaimPhoto(db.Model):
    """Evidence, re-encoded on upload without EXIF; its bytes are a Blob."""

    __tablename__ = "claim_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    blob_id: Mapped[int] = mapped_column(ForeignKey("blobs.id"), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    claim: Mapped[Claim] = relationship(back_populates="photos")
    # Joined: a list of claims reads its photos' sizes in the same query, never their bytes.
    blob: Mapped[Blob] = relationship(lazy="joined", innerjoin=True)

    @property
    def size(self):
        return self.blob.size


class CapUsage(db.Model):
    """Points a resident has been awarded for one action in one day or month, kept for the caps.

    The award and this counter change in the same transaction; a conditional update refuses to go
    past the cap, so two approvals at once cannot both slip under it.
    """

    __tablename__ = "cap_usage"
    __table_args__ = (CheckConstraint("points >= 0", name="points_not_negative"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    action_type_id: Mapped[int] = mapped_column(ForeignKey("action_types.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)  # "2026-11-26" or "2026-11"
    points: Mapped[int] = mapped_column(default=0)


class ActivityStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # participants awarded


class Activity(db.Model):
    """A volunteer activity (志愿活动): participants are checked in, then awarded in one batch."""

    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("points > 0", name="points_positive"),
        CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    place: Mapped[str] = mapped_column(String(200), default="")
    action_type_id: Mapped[int] = mapped_column(ForeignKey("action_types.id"))
    points: Mapped[int]  # per participant
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    organiser_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[ActivityStatus] = mapped_column(
        str_enum(ActivityStatus, "activity_status"), default=ActivityStatus.OPEN,
    )
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    closed_at: Mapped[datetime | None]

    action_type: Mapped[ActionType] = relationship()
    participants: Mapped[list["Participation"]] = relationship(back_populates="activity")


class Participation(db.Model):
    __tablename__ = "participations"
    __table_args__ = (CheckConstraint("method IN ('qr', 'card', 'phone')", name="method_known"),)

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    checked_in_at: Mapped[datetime] = mapped_column(default=now_utc)
    checked_in_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    method: Mapped[str] = mapped_column(String(10))  # qr, card or phone
    points: Mapped[int | None]  # what closing awarded (a cap may cut it)
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"))

    activity: Mapped[Activity] = relationship(back_populates="participants")
    resident: Mapped[User] = relationship(foreign_keys=[user_id])


class MonthlyDecision(db.Model):
    """How many claims of a community were approved or rejected in a month, by how long they waited
    (points.earning.decision_totals keeps it as claims are decided)."""

    __tablename__ = "monthly_decisions"
    __table_args__ = (
        CheckConstraint("status IN ('approved', 'rejected')", name="status_decided"),
        CheckConstraint("claims >= 0 AND wait_hours >= 0", name="not_negative"),
    )

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    community_id: Mapped[int] = mapped_column(primary_key=True)  # NO_COMMUNITY (0) for none
    status: Mapped[str] = mapped_column(String(10), primary_key=True)
    wait_hours: Mapped[int] = mapped_column(primary_key=True)  # the first hour of its group
    claims: Mapped[int] = mapped_column(default=0)
