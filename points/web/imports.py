"""The import wizard (admins): upload a spreadsheet, watch it being checked, read the preview with
every problem, confirm, watch it being written, read the summary; or download the failed rows."""
from flask import Blueprint, Response, flash, jsonify, redirect, render_template, send_from_directory, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import BooleanField

from points import ROOT, csvout
from points.accounts.models import Role
from points.errors import NotFound, Refusal
from points.extensions import db
from points.imports import jobs, residents
from points.imports.models import ImportBatch, ImportStatus
from points.web.access import roles_required
from points.web.forms import show_refusal

bp = Blueprint("import_pages", __name__, url_prefix="/admin/import")
RECENT = 10
SHOWN_PROBLEMS = 500  # the rest are in the failed rows' download
SAMPLES = {"xlsx": "residents.xlsx", "csv": "residents.csv"}  # in docs/samples/, the demo's residents

STATUS_LABELS = {
    ImportStatus.QUEUED: _l("Waiting to start"),
    ImportStatus.CHECKING: _l("Being checked"),
    ImportStatus.CHECKED: _l("Checked: waiting for your confirmation"),
    ImportStatus.WRITING: _l("Being written"),
    ImportStatus.DONE: _l("Imported"),
    ImportStatus.FAILED: _l("Not imported"),
}


class UploadForm(FlaskForm):
    file = FileField(_l("Spreadsheet (Excel .xlsx or CSV)"), validators=[FileRequired(_l("Please choose the file to import."))],
                     render_kw={"accept": ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    create_communities = BooleanField(_l("Create the communities that do not exist yet"))


@bp.app_template_filter("import_status")
def import_status(status):
    return STATUS_LABELS.get(status, status)


@bp.route("", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def index():
    """The upload form and the recent imports. A file is always checked first (a preview)."""
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            batch = residents.new_batch(current_user, upload.filename or "", upload.read(),
                                        dry_run=True, create_communities=form.create_communities.data)
            jobs.start(current_user, batch)
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            return redirect(url_for(".batch", import_id=batch.id))
    return render_template("admin/import.html", form=form, recent=_recent()), 422 if form.is_submitted() else 200


@bp.get("/<int:import_id>")
@roles_required(Role.ADMIN)
def batch(import_id):
    batch = jobs.batch_or_404(import_id)
    jobs.look_after(batch)
    stage, done, total = jobs.progress(batch)
    problems = batch.problems or []
    return render_template(
        "admin/import_batch.html", batch=batch, running=batch.status in jobs.RUNNING,
        progress=(done, total), progress_text=progress_text(stage, done, total),
        preview=preview(batch), problems=problems[:SHOWN_PROBLEMS], more_problems=max(len(problems) - SHOWN_PROBLEMS, 0),
        problem_text=residents.problem_text, earlier=residents.earlier_import(batch))


@bp.get("/<int:import_id>/progress")
@roles_required(Role.ADMIN)
def progress(import_id):
    """How far the work has got, for the progress bar's script (polled every second)."""
    batch = jobs.batch_or_404(import_id)
    jobs.look_after(batch)
    stage, done, total = jobs.progress(batch)
    return jsonify(status=str(batch.status), running=batch.status in jobs.RUNNING, stage=stage, done=done,
                   total=total, text=progress_text(stage, done, total))


@bp.post("/<int:import_id>/commit")
@roles_required(Role.ADMIN)
def commit(import_id):
    """The admin confirms the preview: the file is checked again and written, all or nothing."""
    batch = jobs.batch_or_404(import_id)
    try:
        jobs.confirm(current_user, batch)
    except Refusal as refusal:
        flash(str(refusal), "error")
    return redirect(url_for(".batch", import_id=batch.id))


@bp.get("/<int:import_id>/failed.csv")
@roles_required(Role.ADMIN)
def failed_rows(import_id):
    """The rows that have problems, as in the file, with what is wrong in a last column."""
    header, rows = residents.failed_rows(jobs.batch_or_404(import_id))
    return Response(csvout.lines(header, rows), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=import-{import_id}-failed-rows.csv"})


@bp.get("/sample.<kind>")
@roles_required(Role.ADMIN)
def sample(kind):
    """The demo's spreadsheet (docs/samples/), to see what a file should look like."""
    if kind not in SAMPLES:
        raise NotFound()
    return send_from_directory(ROOT / "docs" / "samples", SAMPLES[kind], as_attachment=True)


def progress_text(stage, done, total):
    """"Checked 1,200 of 50,000 rows", in the reader's language."""
    numbers = {"done": format_number(done), "total": format_number(total)}
    if stage == "writing":
        return _("Written %(done)s of %(total)s rows", **numbers) if total else _("Written %(done)s rows", **numbers)
    if stage == "checking":
        return _("Checked %(done)s of %(total)s rows", **numbers) if total else _("Checked %(done)s rows", **numbers)
    if stage == "reading":
        return _("Read %(done)s of about %(total)s rows", **numbers) if total else _("Reading the file…")
    return _("Waiting to start…")


def preview(batch):
    """The first rows as read, numbered as the spreadsheet shows them, each cell with what is wrong
    with it (or None): [(row number, [(value, [messages])])]."""
    wrong = {}
    for problem in batch.problems or []:
        if problem.get("row") is not None and problem.get("column") is not None:
            wrong.setdefault((problem["row"], problem["column"]), []).append(residents.problem_text(problem))
    columns = batch.columns or []
    return [(number, [(value, wrong.get((number, column), [])) for column, value in zip(columns, cells)])
            for number, cells in _sample_rows(batch)]


def _sample_rows(batch):
    for row in batch.sample or []:
        yield row["row"], row["cells"]


def _recent():
    query = select(ImportBatch).options(selectinload(ImportBatch.creator)).order_by(ImportBatch.id.desc()).limit(RECENT)
    return db.session.execute(query).scalars().all()
