"""Expiry runs: one clearing of a period, asked for by one admin and run on a second one's word."""
import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from points.accounts.models import User
from points.extensions import db, str_enum
from points.timeutil import now_utc


class RunStatus(enum.StrEnum):
    REQUESTED = "requested"  # waiting for a second admin
    DONE = "done"
    REFUSED = "refused"


class ExpiryRun(db.Model):
    """A clearing of one period ("2026"). A command on the server runs it at once (no requester);
    from the page it waits for a different admin. A period has at most one run waiting or done."""

    __tablename__ = "expiry_runs"
    __table_args__ = (
        CheckConstraint("policy IN ('year_end', 'year_end_next')", name="policy_expires"),
        CheckConstraint("decided_by IS NULL OR requested_by IS NULL OR decided_by <> requested_by",
                        name="four_eyes"),
        CheckConstraint("residents >= 0 AND points >= 0", name="totals_not_negative"),
        Index("uq_expiry_runs_one_live_per_period", "period", unique=True,
              sqlite_where=text("status IN ('requested', 'done')"),
              postgresql_where=text("status IN ('requested', 'done')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(10))  # the year cleared
    policy: Mapped[str] = mapped_column(String(20))
    as_of: Mapped[date]  # what expires at the end of this day
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus, "expiry_run_status"), default=RunStatus.REQUESTED)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: a command on the server
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the second admin: approved or refused
    residents: Mapped[int] = mapped_column(default=0)  # previewed when asked for; written when done
    points: Mapped[int] = mapped_column(default=0)
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    decided_at: Mapped[datetime | None]

    requester: Mapped[User | None] = relationship(foreign_keys=[requested_by])
    decider: Mapped[User | None] = relationship(foreign_keys=[decided_by])
