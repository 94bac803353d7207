"""What earns points (the action catalogue) and awards waiting for a second admin."""
import enum
from datetime import datetime

from flask_babel import get_locale
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from points.accounts.models import User
from points.extensions import db, str_enum
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


class AwardRequest(db.Model):
    """An award above the four-eyes threshold, posted only when a second, different admin agrees."""

    __tablename__ = "award_requests"
    __table_args__ = (
        CheckConstraint("points > 0", name="points_positive"),
        CheckConstraint("decided_by IS NULL OR decided_by <> requested_by", name="four_eyes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
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

    resident: Mapped[User] = relationship(foreign_keys=[user_id])
    requester: Mapped[User] = relationship(foreign_keys=[requested_by])
    decider: Mapped[User | None] = relationship(foreign_keys=[decided_by])
    action_type: Mapped[ActionType | None] = relationship()
