"""A background export: who asked, for what, how far it got; its finished file, kept in chunks for a week."""
import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from points.extensions import db
from points.timeutil import now_utc


class ExportStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for its worker to start, once the request that asked commits
    RUNNING = "running"  # rows being written; `done` of `total` so far
    DONE = "done"  # the file is in export_chunks
    FAILED = "failed"  # broke off (see `error`); no file


class Export(db.Model):
    """The file itself is kept in the database (SPEC §12: an instance keeps nothing of its own), so any
    instance serves the download, and a job whose instance died is taken up by another."""

    __tablename__ = "exports"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status_known"),
        CheckConstraint("format IN ('csv', 'xlsx')", name="format_known"),
        Index("ix_exports_created_by_id", "created_by", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(4))
    # What was asked for and the reach decided when it was asked: first and last day, community, and
    # the communities the exporter looked after then (None: every one).
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    locale: Mapped[str] = mapped_column(String(10), default="zh")  # the language of the headers
    filename: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(10), default=ExportStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)  # rows written so far
    total: Mapped[int] = mapped_column(default=0)  # rows expected (counted when asked)
    size: Mapped[int] = mapped_column(default=0)  # bytes of the finished file
    chunks: Mapped[int] = mapped_column(default=0)  # how many export_chunks hold it
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    heartbeat_at: Mapped[datetime | None]  # a running export whose heartbeat is old lost its worker
    finished_at: Mapped[datetime | None]

    creator = relationship("User")


class ExportChunk(db.Model):
    """About a megabyte of a finished file: served one after another, so memory stays flat."""

    __tablename__ = "export_chunks"

    export_id: Mapped[int] = mapped_column(ForeignKey("exports.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
