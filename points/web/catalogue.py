"""The admin's action catalogue: list, add, edit and retire what earns (or deducts) points."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from points.accounts.models import Role
from points.earning import catalogue
from points.earning.models import Unit
from points.errors import Refusal
from points.web.access import roles_required
from points.web.forms import line_field, options, show_refusal

bp = Blueprint("catalogue", __name__, url_prefix="/admin/actions")


def _cap(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=1, message=_l("A cap is above 0."))],
                        render_kw={"inputmode": "numeric", "min": 1})


class ActionTypeForm(FlaskForm):
    code = StringField(_l("Code (letters, digits and _)"), validators=[DataRequired(_l("Please enter a code.")),
                                                                        Length(max=40)])
    name_zh = line_field(_l("Chinese name"), 100, required=_l("Please enter a name."))
    name_en = line_field(_l("English name"), 100, required=_l("Please enter a name."))
    category = SelectField(_l("Category"), choices=options(catalogue.CATEGORIES.items()))
    points = IntegerField(_l("Points per unit (negative for a deduction)"),
                          validators=[InputRequired(_l("Please enter the number of points."))],
                          render_kw={"inputmode": "numeric"})
    unit = SelectField(_l("Unit"), choices=options((u.value, catalogue.unit_label(u)) for u in Unit))
    daily_cap = _cap(_l("Most points per resident per day (empty: no cap)"))
    monthly_cap = _cap(_l("Most points per resident per month (empty: no cap)"))
    evidence_required = BooleanField(_l("A photo is required as evidence"))
    self_claimable = BooleanField(_l("Residents can claim it themselves (otherwise organisers award it)"), default=True)

    @property
    def values(self):
        return {name: getattr(self, name).data for name in catalogue.FIELDS}


@bp.get("")
@roles_required(Role.ADMIN)
def index():
    return render_template("earning/catalogue.html", actions=catalogue.listed_for(current_user))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create():
    form = ActionTypeForm()
    if not form.validate_on_submit():
        return _form_page(form, None, 422 if form.is_submitted() else 200)
    try:
        action_type = catalogue.create(current_user, **form.values)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _form_page(form, None, refusal.status)
    flash(_("“%(name)s” added to the catalogue.", name=action_type.name), "success")
    return redirect(url_for("catalogue.index"))


@bp.route("/<int:action_type_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(action_type_id):
    action_type = catalogue.get(action_type_id)
    form = ActionTypeForm(obj=action_type if request.method == "GET" else None)
    if not form.validate_on_submit():
        return _form_page(form, action_type, 422 if form.is_submitted() else 200)
    try:
        catalogue.update(current_user, action_type, **form.values)
    except Refusal as refusal:
        show_refusal(form, refusal)
        return _form_page(form, action_type, refusal.status)
    flash(_("“%(name)s” saved.", name=action_type.name), "success")
    return redirect(url_for("catalogue.index"))


@bp.post("/<int:action_type_id>/active")
@roles_required(Role.ADMIN)
def set_active(action_type_id):
    action_type = catalogue.get(action_type_id)
    active = request.form.get("active") == "1"
    catalogue.set_active(current_user, action_type, active)
    flash(_("“%(name)s” is in use again.", name=action_type.name) if active
          else _("“%(name)s” is retired: residents can no longer claim it.", name=action_type.name), "success")
    return redirect(url_for("catalogue.index"))


def _form_page(form, action_type, status):
    return render_template("earning/action_form.html", form=form, action_type=action_type), status
