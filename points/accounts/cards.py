"""Printed cards, revocable, re-issuable, with a serial: a member card names one resident without a
smartphone; a household card (一户一卡) names a household, whose members staff pick from at the door."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from points.accounts.models import User
from points.extensions import db
from points.timeutil import now_utc


class MemberCard(db.Model):
    __tablename__ = "member_cards"
    __table_args__ = (
        CheckConstraint("(user_id IS NULL) <> (household_id IS NULL)", name="one_holder"),
        # At most one card in force per person and per household: issuing a new one revokes the old.
        Index("uq_member_cards_one_live", "user_id", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
        Index("uq_member_cards_one_live_household", "household_id", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"))
    serial: Mapped[str] = mapped_column(String(20), unique=True)  # printed on the card
    code: Mapped[str] = mapped_column(String(64), unique=True)  # in the card's QR, >= 128 random bits
    issued_at: Mapped[datetime] = mapped_column(default=now_utc)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    household = relationship("Household")
