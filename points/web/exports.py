"""Exports from the pages: a download beside every list, the exports page, and the background exports' progress."""
from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, stream_with_context, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from points.accounts.models import Role
from points.errors import Refusal
from points.exports import filters, jobs, operations
from points.exports.models import ExportStatus
from points.redemption.times import local_day
from points.web.access import roles_required

bp = Blueprint("export_pages", __name__, url_prefix="/admin/exports")
FIELDS = ("kind", "from", "to", "community_id", "format")
STATUS_LABELS = {
    ExportStatus.QUEUED: _l("Waiting to start"),
    ExportStatus.RUNNING: _l("Being written"),
    ExportStatus.DONE: _l("Ready to download"),
    ExportStatus.FAILED: _l("Broke off: please start it again"),
}


@bp.app_template_filter("export_status")
def export_status(status):
    return STATUS_LABELS.get(status, status)


@bp.app_template_filter("scheme_day")
def scheme_day(moment):
    """An instant's day in the scheme's calendar, as the export filters take it (2026-12-01)."""
    return local_day(moment).isoformat() if moment else ""


@bp.get("")
@roles_required(Role.ADMIN, Role.REVIEWER)
def index():
    return _page({name: request.args.get(name, "") for name in FIELDS})


@bp.post("")
@roles_required(Role.ADMIN, Role.REVIEWER)
def start():
    """Export as chosen: at once if small, else (or when asked) in the background, listed below."""
    chosen = {name: request.form.get(name, "") for name in FIELDS}
    try:
        asked = operations.ask(current_user, chosen["kind"], chosen)
        if request.form.get("background") or operations.is_large(asked):
            operations.start(current_user, asked)
            flash(_("The export runs in the background; it will be ready below."), "success")
            return redirect(url_for(".index"))
    except Refusal as refusal:
        return _page(chosen, problem=refusal), refusal.status
    return _send(operations.stream(asked))


@bp.get("/<kind>")
@roles_required(Role.ADMIN, Role.REVIEWER)
def download(kind):
    """The download beside a list: the file at once, or the exports page to start a large one."""
    asked = operations.ask(current_user, kind, request.args)
    if operations.is_large(asked):
        rows = format_number(operations.expected_rows(asked))
        flash(_("This export has %(rows)s rows: start it here and it will be ready below.", rows=rows), "success")
        return redirect(url_for(".index", kind=kind, **{n: request.args[n] for n in FIELDS[1:] if request.args.get(n)}))
    return _send(operations.stream(asked))


@bp.get("/jobs/<int:export_id>/progress")
@roles_required(Role.ADMIN, Role.REVIEWER)
def progress(export_id):
    """How far a background export has got, for static/exports/progress.js."""
    export = operations.export_of(current_user, export_id)
    jobs.look_after(export)
    done, total = jobs.progress(export)
    return jsonify(status=export.status, done=done, total=total, finished=export.status not in jobs.RUNNING,
                   text=_progress_text(export.status, done, total))


@bp.get("/jobs/<int:export_id>/file")
@roles_required(Role.ADMIN, Role.REVIEWER)
def file(export_id):
    return _send(operations.finished_file(current_user, export_id))


def _page(chosen, problem=None):
    exports = operations.mine(current_user)
    return render_template("exports/index.html", chosen=chosen, problem=problem, exports=exports,
                           kinds=operations.kinds_for(current_user), formats=filters.FORMATS,
                           communities=filters.communities_for(current_user), progress=jobs.progress,
                           progress_text=_progress_text)


def _progress_text(status, done, total):
    if status in jobs.RUNNING:
        return _("%(done)s of %(total)s rows written", done=format_number(done), total=format_number(total))
    return str(export_status(status))


def _send(download):
    return Response(stream_with_context(download.body), mimetype=download.mimetype,
                    headers={"Content-Disposition": download.disposition, "Cache-Control": "no-store"})
