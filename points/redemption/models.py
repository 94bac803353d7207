"""Where points are spent: venues, their sessions and walk-in offerings, bookings, and door scans."""
import enum
from datetime import datetime

from flask_babel import get_locale
from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from points.accounts.models import User
from points.extensions import db, str_enum
from points.timeutil import now_utc


class NoShowPolicy(enum.StrEnum):
    RELEASE = "release"  # the held points go back to the resident
    FORFEIT = "forfeit"  # the held points go to the venue


venue_staff = Table(
    "venue_staff",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("venue_id", ForeignKey("venues.id", ondelete="CASCADE"), primary_key=True),
)


class Venue(db.Model):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str] = mapped_column(String(100), default="")  # empty: English readers see the Chinese name
    kind: Mapped[str] = mapped_column(String(50))
    centre: Mapped[str] = mapped_column(String(100), default="青大片区党群服务中心")
    place: Mapped[str] = mapped_column(String(200), default="")
    rules: Mapped[str] = mapped_column(Text, default="")
    no_show_policy: Mapped[NoShowPolicy] = mapped_column(
        str_enum(NoShowPolicy, "no_show_policy"), default=NoShowPolicy.RELEASE,
    )
    active: Mapped[bool] = mapped_column(default=True)

    offerings: Mapped[list["Offering"]] = relationship(back_populates="venue", order_by="Offering.id")
    # Who works at the door; each person's side is User.venues, so accounts need not know venues.
    staff: Mapped[list[User]] = relationship(secondary=venue_staff, backref=backref("venues", order_by="Venue.name"))

    @property
    def display_name(self):
        """The name in the reader's language: the English one when there is one, else the Chinese."""
        return self.name_en if self.name_en and str(get_locale()).startswith("en") else self.name


class Offering(db.Model):
    """What a walk-in can buy at the door, e.g. one hour of table tennis for 10 points."""

    __tablename__ = "offerings"
    __table_args__ = (CheckConstraint("cost > 0", name="cost_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    cost: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)

    venue: Mapped[Venue] = relationship(back_populates="offerings")


class VenueSession(db.Model):
    """A bookable time slot at a venue. `booked` counts active bookings; the database caps it."""

    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("cost >= 0", name="cost_not_negative"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="not_overbooked"),
        UniqueConstraint("venue_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime] = mapped_column(index=True)
    capacity: Mapped[int]
    cost: Mapped[int]
    booked: Mapped[int] = mapped_column(default=0)
    # Of the places booked, how many were checked in and how many were no-shows (for the dashboard).
    checked_in: Mapped[int] = mapped_column(default=0, server_default="0")
    no_shows: Mapped[int] = mapped_column(default=0, server_default="0")
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)  # told to every resident who was booked
    settled_at: Mapped[datetime | None]  # every hold of the finished session resolved
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    venue: Mapped[Venue] = relationship()


class BookingStatus(enum.StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"  # by the resident, before the deadline
    SESSION_CANCELLED = "session_cancelled"  # by an admin; the hold was released
    NO_SHOW = "no_show"  # settled after the session by the venue's policy


class Booking(db.Model):
    """A resident's place in a session: points on hold, and a single-use ticket."""

    __tablename__ = "bookings"
    __table_args__ = (
        # One live booking per resident and session; a cancelled one may be booked again.
        Index(
            "uq_bookings_one_live_per_session", "session_id", "user_id", unique=True,
            sqlite_where=text("status IN ('booked', 'checked_in')"),
            postgresql_where=text("status IN ('booked', 'checked_in')"),
        ),
        Index("ix_bookings_user_status", "user_id", "status"),
        CheckConstraint("(status = 'checked_in') = (used_at IS NOT NULL)", name="used_when_checked_in"),
        CheckConstraint("status <> 'checked_in' OR used_by IS NOT NULL", name="checked_in_by_someone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[BookingStatus] = mapped_column(
        str_enum(BookingStatus, "booking_status"), default=BookingStatus.BOOKED,
    )
    hold_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), unique=True)
    ticket_code: Mapped[str] = mapped_column(String(64), unique=True)  # >= 128 random bits
    short_code: Mapped[str] = mapped_column(String(12), unique=True)  # for typing in by hand
    booked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))  # a reviewer may book for someone
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    cancelled_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    session: Mapped[VenueSession] = relationship()


class CheckInResult(enum.StrEnum):
    OK = "ok"
    ALREADY_USED = "already_used"
    CANCELLED = "cancelled"
    WRONG_VENUE = "wrong_venue"
    NOT_OPEN_YET = "not_open_yet"
    SESSION_OVER = "session_over"
    UNKNOWN_CODE = "unknown_code"


class Scan(db.Model):
    """Every scan at the door, successful or not; the nonce makes a retried scan count once."""

    __tablename__ = "scans"
    __table_args__ = (UniqueConstraint("staff_id", "nonce"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"))
    nonce: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(80))  # what was read, cut short
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), index=True)
    result: Mapped[CheckInResult] = mapped_column(str_enum(CheckInResult, "checkin_result"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)


class Notification(db.Model):
    """Something the app tells a person (e.g. a session was cancelled), shown on their home page."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))  # the message template, translated when shown
    params: Mapped[dict] = mapped_column(db.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    read_at: Mapped[datetime | None]
