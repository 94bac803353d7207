"""The household page (一户一卡): its members to everyone in it, their balances to the head, passing
points between members, and for the community's reviewer the linking, the head, the 户号 and the card.

The rules are the operations' (points.households.operations); these views load, call and show.
"""
import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import UUID, DataRequired, InputRequired, NumberRange

from points import ledger
from points.accounts import members as cards
from points.accounts import reach
from points.accounts import operations as accounts
from points.accounts.models import User
from points.errors import Forbidden, Invalid, NotFound, Refusal
from points.extensions import db
from points.households import operations as households
from points.web.access import roles_required
from points.web.forms import line_field, show_refusal
from points.web.member import CARD_MAKERS, qr_response

bp = Blueprint("household_pages", __name__, url_prefix="/households")


class PassForm(FlaskForm):
    receiver = SelectField(lazy_pgettext("passing points", "To"), coerce=int, validators=[InputRequired(_l("Please choose who receives the points."))])
    points = IntegerField(_l("Points"), validators=[
        InputRequired(_l("Please enter how many points.")),
        NumberRange(min=1, max=households.MOST_POINTS, message=_l("Please enter a whole number of points, at least 1."))])
    # One key per rendered form: a confirmation sent twice passes the points once.
    request_key = HiddenField(validators=[UUID(_l("This form has expired. Please try again."))],
                              default=lambda: str(uuid.uuid4()))


class MemberForm(FlaskForm):
    phone = StringField(_l("Mobile number of the resident to add"), validators=[DataRequired(_l("Please fill this in."))],
                        render_kw={"inputmode": "tel", "autocomplete": "off", "maxlength": 11})


class NumberForm(FlaskForm):
    number = line_field(_l("Household number (户号)"), households.MAX_NUMBER)


@bp.get("/<int:household_id>")
@login_required
def show(household_id):
    household = households.household_for(current_user, household_id)
    return _page(household)


@bp.post("/<int:household_id>/pass")
@login_required
def pass_points(household_id):
    household = households.household_for(current_user, household_id)
    if current_user.household_id != household.id:
        raise Forbidden(_l("Only members of the household pass its points."))
    form = _pass_form(household)
    if not form.validate_on_submit():
        return _page(household, pass_form=form, status=422)
    receiver = db.session.get(User, form.receiver.data)
    try:
        households.pass_points(current_user, receiver, form.points.data, f"household:{form.request_key.data}")
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _page(household, pass_form=form, status=refusal.status)
    flash(_("%(points)d points passed to %(name)s.", points=form.points.data, name=receiver.name), "success")
    return redirect(url_for(".show", household_id=household.id))


# ---- the reviewer's side ------------------------------------------------------------------------

@bp.post("/new/<int:user_id>")
@roles_required(*CARD_MAKERS)
def create(user_id):
    """Form a household with this resident as its head."""
    head = reach.resident_for(current_user, user_id)
    form = NumberForm()
    try:
        if not form.validate_on_submit():
            raise Invalid(" ".join(form.number.errors) or _("This form has expired. Please try again."))
        household = households.create(current_user, head, form.number.data)
    except Refusal as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("admin.resident", user_id=head.id))
    return redirect(url_for(".show", household_id=household.id))


@bp.post("/<int:household_id>/members")
@roles_required(*CARD_MAKERS)
def add_member(household_id):
    household = _managed(household_id)
    form = MemberForm()
    if not form.validate_on_submit():
        return _page(household, member_form=form, status=422)
    try:
        households.add_member(current_user, household, _resident_by_phone(form.phone.data))
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _page(household, member_form=form, status=refusal.status)
    return redirect(url_for(".show", household_id=household.id))


@bp.post("/<int:household_id>/members/<int:user_id>/remove", defaults={"change": "remove"})
@bp.post("/<int:household_id>/members/<int:user_id>/head", defaults={"change": "head"})
@roles_required(*CARD_MAKERS)
def change_member(household_id, user_id, change):
    household = _managed(household_id)
    operation = households.remove_member if change == "remove" else households.make_head
    try:
        if FlaskForm().validate_on_submit():
            operation(current_user, household, db.session.get(User, user_id))
    except Refusal as refusal:
        flash(str(refusal), "error")
    return redirect(url_for(".show", household_id=household.id))


@bp.post("/<int:household_id>/number")
@roles_required(*CARD_MAKERS)
def renumber(household_id):
    household = _managed(household_id)
    form = NumberForm()
    if not form.validate_on_submit():
        return _page(household, number_form=form, status=422)
    try:
        households.renumber(current_user, household, form.number.data)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _page(household, number_form=form, status=refusal.status)
    return redirect(url_for(".show", household_id=household.id))


@bp.route("/<int:household_id>/card", methods=["GET", "POST"])
@roles_required(*CARD_MAKERS)
def card(household_id):
    """The household card for printing; POST issues one (re-issuing revokes the one before)."""
    household = _managed(household_id)
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        cards.issue_card(household, current_user)
        return redirect(url_for(".card", household_id=household.id))
    people = households.members(household)  # the head first
    head = people[0] if people and people[0].heads_household else None
    return render_template("households/card.html", household=household, head=head, people=len(people),
                           card=cards.current_card(household), form=form)


@bp.post("/<int:household_id>/card/revoke")
@roles_required(*CARD_MAKERS)
def revoke_card(household_id):
    household = _managed(household_id)
    card = cards.current_card(household)
    if card is not None and FlaskForm().validate_on_submit():
        cards.revoke_card(card, current_user)
        flash(_("The household card no longer works."), "success")
    return redirect(url_for(".card", household_id=household.id))


@bp.get("/<int:household_id>/card/qr.svg")
@roles_required(*CARD_MAKERS)
def card_qr(household_id):
    card = cards.current_card(_managed(household_id))
    if card is None:
        raise NotFound()
    return qr_response(card.code)


# ---- helpers -------------------------------------------------------------------------------------

def _managed(household_id):
    household = households.household_for(current_user, household_id)
    if not households.manages(current_user, household):
        raise NotFound(households.NO_SUCH_HOUSEHOLD)
    return household


def _resident_by_phone(phone):
    person = accounts.person_with_phone(phone)
    if person is None or not reach.reaches(current_user, person):
        raise NotFound(_l("No resident of your communities has this number."), field="phone")
    return person


def _pass_form(household, people=None):
    form = PassForm()
    people = households.members(household) if people is None else people
    form.receiver.choices = [(p.id, p.name) for p in people if p.id != current_user.id]
    return form


def _page(household, status=200, **forms):
    people = households.members(household)
    member = current_user.household_id == household.id
    shown = {
        "pass_form": forms.get("pass_form") or (_pass_form(household, people) if member and len(people) > 1 else None),
        "member_form": forms.get("member_form") or MemberForm(formdata=None),
        "number_form": forms.get("number_form") or NumberForm(formdata=None, number=household.number),
    }
    balances = {p.id: ledger.balance(p.id) for p in people} if households.sees_balances(current_user, household) else None
    return render_template(
        "households/show.html", household=household, people=people, balances=balances, member=member,
        manages=households.manages(current_user, household), card=cards.current_card(household),
        left=households.left_this_month(current_user) if member else None, **shown,
    ), status
