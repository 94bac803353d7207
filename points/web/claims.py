"""A resident's claims from the phone: the claim form with photos, their claims, withdrawing one."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, MultipleFileField, SelectField
from wtforms.validators import InputRequired, NumberRange

from points.accounts import reach
from points.accounts.models import Role
from points.earning import catalogue, claims, photos
from points.earning.models import ActionType, ClaimStatus
from points.errors import Forbidden, NotFound, Refusal
from points.extensions import db
from points.lifecycle import answer
from points.routing import is_id
from points.web.forms import OperationCheck, options, paragraph_field, show_refusal

bp = Blueprint("claim_pages", __name__, url_prefix="/claims")

STATUS_LABELS = {
    ClaimStatus.PENDING: _l("Waiting for review"),
    ClaimStatus.APPROVED: _l("Approved"),
    ClaimStatus.REJECTED: _l("Rejected"),
    ClaimStatus.WITHDRAWN: _l("Withdrawn"),
}
PHOTO_INPUT = {"accept": "image/jpeg,image/png,image/webp,image/*", "multiple": True, "data-shrink": "1600"}


class ClaimForm(FlaskForm):
    action_type = SelectField(_l("What did you do?"), coerce=lambda v: int(v) if str(v).isdigit() else None,
                              validators=[InputRequired(_l("Please choose an action from the list."))])
    occurred_on = DateField(_l("On which day?"), validators=[InputRequired(_l("Please enter the day of the action.")),
                                                             OperationCheck(claims.check_day)])
    quantity = IntegerField(_l("How many times or hours?"), default=1, validators=[
        InputRequired(_l("Please enter a whole number.")),
        NumberRange(min=1, max=claims.MAX_QUANTITY, message=_l("The quantity is a whole number from 1 to 24.")),
    ], render_kw={"inputmode": "numeric", "min": 1, "max": claims.MAX_QUANTITY})
    note = paragraph_field(_l("Note (optional)"), claims.MAX_NOTE)
    photos = MultipleFileField(_l("Take photos"), render_kw={**PHOTO_INPUT, "capture": "environment"})
    album = MultipleFileField(_l("Or choose photos you already took"), render_kw=PHOTO_INPUT)

    def uploads(self):
        return request.files.getlist(self.photos.name) + request.files.getlist(self.album.name)

    def validate_photos(self, _field):
        """Asked beside the other fields, so a missing photo shows with every other mistake."""
        chosen = [upload for upload in self.uploads() if upload.filename]
        action_type = db.session.get(ActionType, self.action_type.data) if is_id(self.action_type.data) else None
        OperationCheck(lambda _: claims.check_evidence(action_type, chosen))(self, _field)


@bp.app_template_filter("claim_status")
def claim_status(status):
    return STATUS_LABELS.get(status, status)


@bp.app_template_filter("category_label")
def category_label(code):
    return catalogue.category_label(code)


@bp.app_template_filter("unit_label")
def unit_label(unit):
    return catalogue.unit_label(unit)


@bp.errorhandler(413)
def too_large(_error):
    """The claim form again, with what was typed and how large photos may be. Past the limit the
    form cannot be read, so it is read once more, up to twice the limit, only to give it back."""
    room = 2 * current_app.config["MAX_CONTENT_LENGTH"]
    if request.endpoint != "claim_pages.new" or not current_user.is_authenticated or request.content_length > room:
        return answer(413, "too_large", str(photos.too_large_message()))
    request.max_content_length = room
    resident = reach.resident_for(current_user, request.args.get("resident", type=int), scope=reach.Scope.CLAIM)
    form = _claim_form(resident)
    form.photos.errors = [str(photos.too_large_message())]
    return _form_page(form, resident, status=413)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """The claim form; a reviewer adds ?resident=<id> to submit for a resident without a phone."""
    resident = reach.resident_for(current_user, request.args.get("resident", type=int), scope=reach.Scope.CLAIM)
    if not resident.has_role(Role.RESIDENT):
        if current_user.has_role(Role.REVIEWER) or current_user.has_role(Role.ADMIN):
            return redirect(url_for("review.act_for"))  # someone who is no resident claims for others
        raise Forbidden(_l("Only residents claim points."))
    form = _claim_form(resident)
    again = _rejected_claim(resident)
    if again is not None and not form.is_submitted():
        _fill_in(form, again)
    if not form.validate_on_submit():
        return _form_page(form, resident, status=422 if form.is_submitted() else 200, again=again)
    try:
        claim = claims.submit(current_user, resident, form.action_type.data, form.occurred_on.data,
                              form.quantity.data, form.note.data, form.uploads())
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _form_page(form, resident, status=refusal.status, again=again)
    flash(_("Claim sent: %(points)d points for “%(action)s”, waiting for your community's reviewer.",
            points=claim.points, action=claim.action_type.name), "success")
    if resident.id != current_user.id:
        if not reach.reaches(current_user, resident):  # a family helper goes back to the person they help
            return redirect(url_for("helper_pages.acting_for", resident_id=resident.id))
        return redirect(url_for("review.index", status="pending"))
    return redirect(url_for("claim_pages.index"))


@bp.get("")
@login_required
def index():
    """The person's own claims, newest first, each with its status and the reviewer's reason."""
    before = request.args.get("before", type=int)
    mine = claims.claims_for(current_user, limit=30, before=before, own=True)
    return render_template("earning/claims.html", claims=mine, before=before, person=claims.person,
                           older=mine[-1].id if len(mine) == 30 else None)


@bp.post("/<int:claim_id>/withdraw")
@login_required
def withdraw(claim_id):
    claim = claims.visible(current_user, claim_id)
    try:
        claims.withdraw(current_user, claim)
    except Refusal as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("claim_pages.index"))
    flash(_("Claim withdrawn."), "success")
    return redirect(url_for("claim_pages.index"))


@bp.get("/<int:claim_id>/photos/<int:photo_id>")
@login_required
def photo(claim_id, photo_id):
    """A photo for the resident and the reviewers of their community only; 404 for anyone else."""
    return photos.send(claims.visible(current_user, claim_id), photo_id)


def _claim_form(resident):
    form = ClaimForm()
    choices = catalogue.listed_for(resident, claimable_only=True)
    form.action_type.choices = options([("", _("Choose an action"))] + [(a.id, _choice_label(a)) for a in choices])
    form.action_types = choices
    if not form.is_submitted():
        form.occurred_on.data = claims.local_today()
    return form


def _choice_label(action_type):
    return _("%(name)s (%(points)d points each %(unit)s)", name=action_type.name, points=action_type.points,
             unit=catalogue.unit_label(action_type.unit))


def _rejected_claim(resident):
    """?again=<id>: a rejected claim of this resident, sent again as a new claim (the old one stays rejected)."""
    claim_id = request.args.get("again", type=int)
    if claim_id is None:
        return None
    claim = claims.visible(current_user, claim_id)
    if claim.user_id != resident.id or claim.status != ClaimStatus.REJECTED:
        raise NotFound(_l("Only a rejected claim can be sent again."))
    return claim


def _fill_in(form, claim):
    """The rejected claim's fields, except a day now too long ago (today instead) and the photos (never copied)."""
    if any(a.id == claim.action_type_id for a in form.action_types):
        form.action_type.data = claim.action_type_id
    if claims.earliest_day() <= claim.occurred_on <= claims.local_today():
        form.occurred_on.data = claim.occurred_on
    form.quantity.data, form.note.data = claim.quantity, claim.note


def _form_page(form, resident, status, again=None):
    return render_template(
        "earning/claim_new.html", form=form, resident=resident, today=claims.local_today(),
        earliest=claims.earliest_day(), acting=resident.id != current_user.id, again=again,
    ), status
