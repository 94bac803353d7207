"""People: the street, its communities, users with their roles, and their sign-ins (tokens)."""
import enum
import re
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, Index, String, bindparam, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from points.extensions import db
from points.timeutil import now_utc

PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


class Role(enum.IntFlag):
    """What a person may do; a person can hold several."""

    RESIDENT = 1
    STAFF = 2
    REVIEWER = 4
    ADMIN = 8

    @classmethod
    def parse(cls, name):
        try:
            return cls[name.strip().upper()]
        except KeyError:
            raise ValueError(name) from None

    @property
    def names(self):
        return [role.name.lower() for role in Role if role in self]


ALL_ROLES = int(Role.RESIDENT | Role.STAFF | Role.REVIEWER | Role.ADMIN)


class Street(db.Model):
    __tablename__ = "streets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Community(db.Model):
    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"))
    name: Mapped[str] = mapped_column(String(100), unique=True)

    street: Mapped[Street] = relationship()


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"roles > 0 AND roles <= {ALL_ROLES}", name="roles_known"),
        CheckConstraint("length(phone) = 11", name="phone_length"),
        # A reviewer reviews one community's residents, so a reviewer without one could review nobody.
        CheckConstraint(f"(roles & {int(Role.REVIEWER)}) = 0 OR community_id IS NOT NULL",
                        name="reviewer_has_community"),
        # A member lives in the household's community (points.households.models says why).
        ForeignKeyConstraint(["household_id", "community_id"], ["households.id", "households.community_id"]),
        CheckConstraint("NOT heads_household OR household_id IS NOT NULL", name="head_is_a_member"),
        Index("uq_users_one_head", "household_id", unique=True,
              sqlite_where=text("heads_household"), postgresql_where=text("heads_household")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(11), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    # None: no password yet (imported, or registered at the office); a one-time code sets one.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    roles: Mapped[int] = mapped_column(default=int(Role.RESIDENT))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    active: Mapped[bool] = mapped_column(default=True)
    household_id: Mapped[int | None] = mapped_column(index=True)
    heads_household: Mapped[bool] = mapped_column(default=False)
    care_mode: Mapped[bool] = mapped_column(default=False)  # 长辈版, chosen in the header
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    community: Mapped[Community | None] = relationship()
    household = relationship("Household", primaryjoin="User.household_id == Household.id",
                             foreign_keys=[household_id], viewonly=True)
    # User.venues, the venues a staff member works at, is declared with them (points.redemption.models).

    # Set while this object stands for one web sign-in (see points.web.auth): Flask-Login keeps
    # get_id() in the session, so the cookie names that sign-in, never the person, and ends with it.
    session_key = None

    def get_id(self):
        return self.session_key

    @property
    def is_active(self):
        return self.active

    def set_password(self, password):
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password):
        """False for everyone without a password: no password at all matches one."""
        return self.password_hash is not None and check_password_hash(self.password_hash, password)

    def has_role(self, role):
        return bool(self.roles & role)

    @property
    def role_names(self):
        return Role(self.roles).names

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    def can_review(self, resident):
        """Admins act on everyone; a reviewer only on residents of their own community."""
        return self.looks_after(resident.community_id)

    def looks_after(self, community_id):
        """Admins look after every community; a reviewer their own (one without looks after none).
        What a community owns (a claim made there, an activity) is reviewed by who looks after it."""
        if self.has_role(Role.ADMIN):
            return True
        return self.has_role(Role.REVIEWER) and self.community_id is not None and community_id == self.community_id


class TokenKind(enum.StrEnum):
    API = "api"  # a bearer token of the API
    WEB = "web"  # the key of one web sign-in, kept in the session cookie


class ApiToken(db.Model):
    """One sign-in: an API bearer token or a web session's key. Only its SHA-256 is stored, so a leaked
    table grants nothing; revoking the rows of a person ends every session and token they have."""

    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint("kind IN ('api', 'web')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(3), default=TokenKind.API, server_default="api")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    @classmethod
    def signs_in(cls, kind):
        """Where a token of this kind still signs its owner in; bind token_hash and now."""
        return (
            cls.token_hash == bindparam("token_hash"), cls.kind == kind, cls.revoked_at.is_(None),
            cls.expires_at > bindparam("now"), User.active.is_(True),
        )


def mask_phone(phone):
    """138****1234: enough for a person to recognise their own number."""
    return f"{phone[:3]}****{phone[-4:]}"


def mask_name(name):
    """张* / 欧*** : the first character and a star for each other one (at least one star)."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def valid_phone(phone):
    return bool(PHONE_PATTERN.match(phone or ""))
