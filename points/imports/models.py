"""An import batch: one uploaded file, what checking it found, and what committing it wrote."""
import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from points.extensions import db
from points.timeutil import now_utc


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for the background worker
    CHECKING = "checking"  # reading and checking every row; nothing is written
    CHECKED = "checked"  # a preview: checked without problems, waiting for the admin's confirmation
    WRITING = "writing"  # the one transaction that writes everything
    DONE = "done"  # written
    FAILED = "failed"  # problems found (see `problems`) or the work broke off (see `error`); nothing written


class ImportBatch(db.Model):
    """The file is kept with the batch, so the work can run (and run again) in the background on any
    instance of the app, and the failed rows can be downloaded later."""

    __tablename__ = "imports"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'checking', 'checked', 'writing', 'done', 'failed')",
                        name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="residents")
    status: Mapped[str] = mapped_column(String(10), default=ImportStatus.QUEUED)
    dry_run: Mapped[bool] = mapped_column(default=True)  # check only; confirming clears it
    create_communities: Mapped[bool] = mapped_column(default=False)  # unknown communities are created
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    # What checking found: the header as in the file, the first rows as read, every problem as
    # {row, column, value, message, params} (message an English msgid, translated when shown).
    columns: Mapped[list] = mapped_column(JSON, default=list)
    sample: Mapped[list] = mapped_column(JSON, default=list)
    problems: Mapped[list] = mapped_column(JSON, default=list)
    rows: Mapped[int] = mapped_column(default=0)  # data rows in the file
    ready: Mapped[int] = mapped_column(default=0)  # rows that will create or complete a resident
    skipped: Mapped[int] = mapped_column(default=0)  # rows already imported: nothing to do
    created: Mapped[int] = mapped_column(default=0)  # residents created by the commit
    opening_points: Mapped[int] = mapped_column(default=0)  # opening balances written, in points
    # Progress of the background work: which stage, how far, and when the worker last said so
    # (a "running" batch whose heartbeat is old lost its worker and is taken up again).
    stage: Mapped[str | None] = mapped_column(String(10))
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    heartbeat_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: a command
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who confirmed the preview
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    creator = relationship("User", foreign_keys=[created_by])
    confirmer = relationship("User", foreign_keys=[confirmed_by])
