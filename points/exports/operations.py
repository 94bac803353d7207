"""Exporting, one operation per action: ask (check everything), stream the file, or start it in the
background; then list one's background exports, download a finished one, purge the old ones.

The same operations serve the pages, the API and the command. Everything that can be refused is
checked in `ask`, before a byte is sent: a streamed answer cannot turn into an error half-way.
"""
import re
import tempfile
import urllib.parse
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Iterator

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from points import audit
from points.accounts.models import Role
from points.errors import NotFound
from points.exports import filters, jobs, writers
from points.exports.kinds import KINDS, count, kind_named, rows
from points.exports.models import Export, ExportChunk, ExportStatus
from points.extensions import db
from points.redemption.times import local
from points.timeutil import now_utc

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Asked:
    """An export that has passed every check: what, for whom (the scope), in which format, called what."""

    kind: object
    scope: object  # a points.exports.filters.Scope
    format: str
    filename: str


@dataclass(frozen=True)
class Download:
    filename: str
    mimetype: str
    body: Iterator[bytes]

    @property
    def disposition(self):
        return disposition(self.filename)


def ask(viewer, kind_name, args, now=None):
    """Check the role, the kind and the filters, and decide the reach now (see points.exports.filters)."""
    wanted = filters.read(args)
    scope = filters.scope_for(viewer, wanted)
    kind = kind_named(kind_name, viewer)
    return Asked(kind, scope, wanted["format"], file_name(kind.name, scope, wanted["format"], now or now_utc()))


def stream(asked, session=None):
    """The file, made while it is sent: CSV row by row; XLSX into a temporary file, then in chunks."""
    session = session or db.session
    header, found = asked.kind.header(), rows(session, asked.kind, asked.scope)
    if asked.format == "csv":
        return Download(asked.filename, writers.CSV_TYPE, writers.csv_chunks(header, found))
    return Download(asked.filename, writers.XLSX_TYPE, _xlsx(asked.kind.label, header, found))


def _xlsx(title, header, found):
    with tempfile.TemporaryDirectory(prefix="points-export-") as folder:
        path = Path(folder) / "export.xlsx"
        writers.write_xlsx(path, title, header, found)
        with path.open("rb") as file:
            while chunk := file.read(CHUNK_BYTES):
                yield chunk


def is_large(asked):
    """Whether the export has more rows than a request should wait for (counted, not read)."""
    return expected_rows(asked) > current_app.config["EXPORT_INLINE_ROWS"]


def expected_rows(asked):
    return count(db.session, asked.kind, asked.scope)


def start(viewer, asked):
    """Queue the export; its worker starts once the caller's transaction commits (points.exports.jobs)."""
    purge()
    export = Export(kind=asked.kind.name, format=asked.format, filters=asked.scope.as_json(),
                    locale=str(get_locale() or "zh"), filename=asked.filename, created_by=viewer.id,
                    total=expected_rows(asked), heartbeat_at=now_utc())
    db.session.add(export)
    db.session.flush()
    audit.record(viewer, "export.started", export, kind=asked.kind.name, format=asked.format,
                 **{key: value for key, value in asked.scope.as_json().items() if key != "whole_phones"})
    jobs.queue(export)
    return export


def mine(viewer, limit=20):
    """The viewer's background exports, newest first; one whose worker died is taken up again."""
    found = db.session.execute(select(Export).where(Export.created_by == viewer.id)
                               .order_by(Export.id.desc()).limit(limit)).scalars().all()
    for export in found:
        jobs.look_after(export)
    return found


def export_of(viewer, export_id):
    """One of the viewer's own exports; anyone else's (or none) is 404."""
    export = db.session.get(Export, export_id) if isinstance(export_id, int) else None
    if export is None or export.created_by != viewer.id:
        raise NotFound(_l("No such export."))
    return export


def finished_file(viewer, export_id):
    """A finished export's file, a chunk (about a megabyte) at a time."""
    export = export_of(viewer, export_id)
    if export.status != ExportStatus.DONE:
        raise NotFound(_l("This export has no file yet."))
    mimetype = writers.CSV_TYPE if export.format == "csv" else writers.XLSX_TYPE
    return Download(export.filename, mimetype, _chunks(export.id, export.chunks))


def _chunks(export_id, how_many):
    for seq in range(how_many):
        yield db.session.execute(select(ExportChunk.data).where(
            ExportChunk.export_id == export_id, ExportChunk.seq == seq)).scalar_one()


def purge(now=None):
    """Delete the exports (and their files) older than EXPORT_KEEP_DAYS; how many went."""
    cutoff = (now or now_utc()) - timedelta(days=current_app.config["EXPORT_KEEP_DAYS"])
    old = select(Export.id).where(Export.created_at < cutoff)
    db.session.execute(delete(ExportChunk).where(ExportChunk.export_id.in_(old)))
    return db.session.execute(delete(Export).where(Export.created_at < cutoff)).rowcount


def file_name(kind, scope, fmt, now):
    """transfers_2026-11-01_2026-11-30_锦湖社区_20261202-0512.xlsx: what, which days, where, when made."""
    parts = [kind]
    if scope.first_day or scope.last_day:
        parts += [scope.first_day.isoformat() if scope.first_day else "start",
                  scope.last_day.isoformat() if scope.last_day else "end"]
    if scope.community_name:
        parts.append("".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in scope.community_name))
    parts.append(local(now).strftime("%Y%m%d-%H%M"))
    return "_".join(parts) + "." + fmt


def disposition(filename):
    """attachment, with an ASCII name for old clients and the real one (RFC 5987 filename*) for the rest."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii") or "export"
    plain = re.sub(r"_+", "_", plain.replace('"', "").replace("\\", ""))
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{urllib.parse.quote(filename, safe='')}"


def kinds_for(viewer):
    """(name, label) of every kind the viewer may export, for the page's choice."""
    return [(kind.name, kind.label) for kind in KINDS.values() if not kind.admin_only or viewer.has_role(Role.ADMIN)]
