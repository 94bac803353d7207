"""Service records as they were made: what they attest stays as it was on the day it was printed."""
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from points.accounts.models import User
from points.extensions import db
from points.records.actions import Action
from points.timeutil import now_utc


class ServiceRecord(db.Model):
    """A 志愿服务记录证明: a resident's approved actions over a period, with the code anyone can check.

    The code is kept as it was printed (not hashed): the holder reprints the same record, and the
    code is no secret once on paper; it is only unguessable (128 bits from `secrets`). Lines, totals
    and names are copied at making, so a later reversal or change of name does not alter a paper
    that has already been handed on."""

    __tablename__ = "service_records"
    __table_args__ = (
        CheckConstraint("last_day >= first_day", name="period_in_order"),
        CheckConstraint("actions >= 0 AND minutes >= 0 AND points >= 0", name="totals_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    holder_name: Mapped[str] = mapped_column(String(50))
    community_name: Mapped[str] = mapped_column(String(100), default="")
    street_name: Mapped[str] = mapped_column(String(100))
    first_day: Mapped[date]
    last_day: Mapped[date]
    actions: Mapped[int]
    minutes: Mapped[int]  # the hours of the actions counted in hours, in minutes to stay whole
    points: Mapped[int]
    lines: Mapped[list] = mapped_column(JSON)  # [{day, name_zh, name_en, minutes, points}], oldest first
    made_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    made_at: Mapped[datetime] = mapped_column(default=now_utc)

    holder: Mapped[User] = relationship(foreign_keys=[user_id])
    maker: Mapped[User] = relationship(foreign_keys=[made_by])

    @property
    def done(self):
        """The actions recorded, as Action values (points.records.actions)."""
        return [Action.from_json(line) for line in self.lines]
