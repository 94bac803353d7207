"""Venues of the service centre, where points are spent."""
import enum

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from points.extensions import db, str_enum


class NoShowPolicy(enum.StrEnum):
    RELEASE = "release"  # the held points go back to the resident
    FORFEIT = "forfeit"  # the held points go to the venue


class Venue(db.Model):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(50))
    place: Mapped[str] = mapped_column(String(200), default="")
    rules: Mapped[str] = mapped_column(Text, default="")
    no_show_policy: Mapped[NoShowPolicy] = mapped_column(
        str_enum(NoShowPolicy, "no_show_policy"),
        default=NoShowPolicy.RELEASE,
    )
    active: Mapped[bool] = mapped_column(default=True)
