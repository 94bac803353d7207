"""The review queue: a reviewer decides their community's claims, one or many at once, and acts for
residents without a smartphone (registers them, claims for them)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired

from points.accounts import operations as accounts
from points.accounts import people
from points.accounts.models import Role
from points.earning import claims
from points.earning.models import ClaimStatus
from points.errors import Invalid, Refusal
from points.web.access import roles_required
from points.web.forms import line_field, options, show_refusal

bp = Blueprint("review", __name__, url_prefix="/review")
TABS = [
    (ClaimStatus.PENDING, _l("To review")),
    (ClaimStatus.APPROVED, _l("Approved")),
    (ClaimStatus.REJECTED, _l("Rejected")),
    (ClaimStatus.WITHDRAWN, _l("Withdrawn")),
]


class ResidentForm(FlaskForm):
    name = line_field(_l("Name"), 50, required=_l("Please enter a name."))
    phone = StringField(_l("Mobile number (their identity, even without a smartphone)"),
                        validators=[DataRequired(_l("Please enter the resident's mobile number."))],
                        render_kw={"inputmode": "tel", "autocomplete": "off", "maxlength": 11})
    community = SelectField(_l("Community"))


@bp.get("")
@roles_required(Role.REVIEWER, Role.ADMIN)
def index():
    status = request.args.get("status", ClaimStatus.PENDING.value)
    if status not in {s.value for s in ClaimStatus}:
        status = ClaimStatus.PENDING.value
    return _queue(ClaimStatus(status))


@bp.post("/decide")
@roles_required(Role.REVIEWER, Role.ADMIN)
def decide():
    """One claim (its own buttons) or every ticked claim (the buttons at the bottom)."""
    try:
        if request.form.get("ask") == "reject":  # the queue's button: ask before rejecting the ticked
            return _ask_before_rejecting(claims.check_many(_ticked(), False, request.form.get("reason", "")))
        ids, approving, reason = _decision()
        outcomes = claims.decide_many(current_user, ids, approving, reason)
    except Refusal as refusal:
        return _queue(ClaimStatus.PENDING, problems=[str(refusal)], http_status=refusal.status)
    done = sum(1 for _claim_id, refusal in outcomes if refusal is None)
    problems = [_("Claim %(id)d: %(problem)s", id=claim_id, problem=refusal)
                for claim_id, refusal in outcomes if refusal is not None]
    if done:
        flash(ngettext("%(num)d claim approved.", "%(num)d claims approved.", done) if approving
              else ngettext("%(num)d claim rejected.", "%(num)d claims rejected.", done), "success")
    for problem in problems:
        flash(problem, "error")
    return redirect(url_for("review.index"))


@bp.get("/residents")
@roles_required(Role.REVIEWER, Role.ADMIN)
def act_for():
    """Find a resident to claim for, or register one who has no smartphone."""
    query = request.args.get("q", "").strip()
    found = people.search(current_user, query) if query else None
    return render_template("earning/act_for.html", query=query, found=found)


@bp.route("/residents/new", methods=["GET", "POST"])
@roles_required(Role.REVIEWER, Role.ADMIN)
def register():
    form = _resident_form()
    if not form.validate_on_submit():
        return render_template("earning/resident_new.html", form=form), 422 if form.is_submitted() else 200
    try:
        resident = people.register_resident(current_user, form.phone.data, form.name.data, form.community.data)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return render_template("earning/resident_new.html", form=form), refusal.status
    flash(_("%(name)s is registered. You can now submit claims for them.", name=resident.name), "success")
    return redirect(url_for("claim_pages.new", resident=resident.id))


def _decision():
    """(claim ids, approving?, reason) from the queue form, whichever button was pressed."""
    form = request.form
    for approving, button in ((True, "approve_one"), (False, "reject_one")):
        single = form.get(button, type=int)
        if single:
            return [single], approving, form.get(f"reason_{single}") or form.get("reason", "")
    if form.get("bulk") not in ("approve", "reject"):
        raise Invalid(_l("Please choose approve or reject."))
    return _ticked(), form["bulk"] == "approve", form.get("reason", "")


def _ticked():
    return [int(v) for v in request.form.getlist("claim_ids") if v.isdigit() and len(v) < 19]


def _ask_before_rejecting(ids):
    """Rejecting cannot be undone and every resident reads the reason: the page says how many, and
    its button sends the same decision as the queue's bulk rejection."""
    ticked = [c for c in claims.queue(current_user) if c.id in set(ids)]
    return render_template("earning/reject_confirm.html", ids=ids, reason=request.form.get("reason", ""),
                           ticked=ticked)


def _queue(status, problems=(), http_status=200):
    return render_template(
        "earning/review.html", claims=claims.queue(current_user, status), status=status, tabs=TABS,
        problems=problems, person=claims.person,
    ), http_status


def _resident_form():
    form = ResidentForm()
    if current_user.has_role(Role.ADMIN):
        names = accounts.community_names()
        form.community.choices = options([(name, name) for name in names])
    else:
        name = current_user.community.name if current_user.community else ""
        form.community.choices = options([(name, name or _("— no community —"))])
    return form
