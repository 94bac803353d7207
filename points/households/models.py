"""A household: the residents of one home, under one 户号 of their community.

Membership lives on the person (`users.household_id`, `users.heads_household`), so the database
itself keeps the rules: a head is one of the members, a household has at most one head, and a
member lives in the household's community — the foreign key runs over (household, community), so a
person cannot change community while still in a household of another. That last rule is why points
passed between members never cross a community's books (SPEC §11).
"""
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from points.accounts.models import Community
from points.extensions import db
from points.timeutil import now_utc


class Household(db.Model):
    __tablename__ = "households"
    __table_args__ = (
        UniqueConstraint("community_id", "number"),  # one 户号 names one home of a community
        UniqueConstraint("id", "community_id"),  # what the members' foreign key refers to
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    number: Mapped[str | None] = mapped_column(String(30))  # the office's 户号, if it keeps one
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    community: Mapped[Community] = relationship()
