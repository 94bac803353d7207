"""Printed member cards, for residents without a smartphone: revocable, re-issuable, with a serial."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from points.accounts.models import User
from points.extensions import db
from points.timeutil import now_utc


class MemberCard(db.Model):
    __tablename__ = "member_cards"
    __table_args__ = (
        # At most one card in force per person: issuing a new one revokes the old.
        Index("uq_member_cards_one_live", "user_id", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    serial: Mapped[str] = mapped_column(String(20), unique=True)  # printed on the card
    code: Mapped[str] = mapped_column(String(64), unique=True)  # in the card's QR, >= 128 random bits
    issued_at: Mapped[datetime] = mapped_column(default=now_utc)
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
