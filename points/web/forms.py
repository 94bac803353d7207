"""Forms; Flask-WTF gives each a CSRF token. They check shapes only: the rules live in operations."""
import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField, IntegerField, PasswordField, RadioField, SelectField, SelectMultipleField, StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    UUID, DataRequired, EqualTo, InputRequired, NumberRange, Optional, ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from points import text
from points.accounts import operations as accounts
from points.accounts.models import ALL_ROLES, Role
from points.errors import Refusal


def options(pairs):
    """Choices for a select, radio or checkbox field from (value, label) pairs."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class TextRule:
    """Trims and checks a field under the text rule (points.text), as the API's schemas do."""

    def __init__(self, rule, most):
        self.rule, self.most = rule, most

    def __call__(self, form, field):
        try:
            field.data = self.rule.check(field.data, most=self.most, required=field.flags.required)
        except text.BadText as refusal:
            raise ValidationError(str(refusal)) from None


class OperationCheck:
    """Asks an operation's own check of one value (it raises a refusal) beside the form's other
    validators, so every field's mistake shows after one submit; the rule keeps one home."""

    def __init__(self, check):
        self.check = check

    def __call__(self, form, field):
        try:
            self.check(field.data)
        except Refusal as refusal:
            raise ValidationError(str(refusal)) from None


def line_field(label, most, required=None, render_kw=None):
    """A one-line text input; `required` is the message shown when it is left empty."""
    return _text_field(StringField, text.LINE, label, most, required, render_kw)


def paragraph_field(label, most, required=None, render_kw=None):
    """A text area for a note, a reason, rules."""
    return _text_field(TextAreaField, text.PARAGRAPH, label, most, required, {"rows": 3, **(render_kw or {})})


def _text_field(kind, rule, label, most, required, render_kw):
    validators = [DataRequired(required)] if required else []
    return kind(label, validators=[*validators, TextRule(rule, most)], render_kw={"maxlength": most, **(render_kw or {})})


def _phone(autocomplete, *checks):
    return StringField(_l("Mobile number"), validators=[DataRequired(_l("Please enter your mobile number.")), *checks],
                       render_kw={"inputmode": "tel", "autocomplete": autocomplete, "maxlength": 11})


def _new_password(label):
    return PasswordField(label, validators=[DataRequired(_l("Please choose a password.")),
                                            OperationCheck(accounts.check_password_rules)],
                         render_kw={"autocomplete": "new-password"})


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LoginForm(FlaskForm):
    phone = _phone("username")
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please enter your password."))],
                             render_kw={"autocomplete": "current-password"})


class RegisterForm(FlaskForm):
    name = line_field(_l("Name"), 50, required=_l("Please enter your name."), render_kw={"autocomplete": "name"})
    phone = _phone("tel", OperationCheck(accounts.check_new_phone))
    # Choices are the existing communities, set by the view: residents join one, never invent one.
    community = SelectField(_l("Community"), validators=[DataRequired(_l("Please choose your community."))])
    password = _new_password(_l("Password (at least 8 characters)"))


class AwardForm(FlaskForm):
    direction = RadioField(_l("What to do"), default="award",
                           choices=options([("award", _l("Award")), ("deduct", _l("Deduct"))]))
    points = IntegerField(_l("Points"), validators=[
        InputRequired(_l("Please enter the number of points.")),
        NumberRange(min=1, max=10_000, message=_l("Please enter a number of points from 1 to 10000.")),
    ], render_kw={"inputmode": "numeric", "min": 1, "max": 10_000})
    action_type = SelectField(_l("Kind of action (optional)"), coerce=lambda v: int(v) if v else None,
                              validators=[Optional()])
    quantity = IntegerField(_l("Quantity (times or hours of that action)"), default=1, validators=[
        Optional(), NumberRange(min=1, max=100, message=_l("Please enter a quantity from 1 to 100.")),
    ], render_kw={"inputmode": "numeric", "min": 1, "max": 100})
    note = paragraph_field(_l("Reason"), 500)
    # One key per rendered form: a form sent twice posts the points once.
    request_key = HiddenField(validators=[UUID(_l("This form has expired. Please try again."))],
                              default=lambda: str(uuid.uuid4()))

    @property
    def signed_points(self):
        return -self.points.data if self.direction.data == "deduct" else self.points.data

    @property
    def times(self):
        return self.quantity.data or 1  # left empty: once


class ReverseForm(FlaskForm):
    reason = paragraph_field(_l("Reason for the reversal"), 500, required=_l("Please give a reason for the reversal."))
    request_key = HiddenField(validators=[UUID(_l("This form has expired. Please try again."))],
                              default=lambda: str(uuid.uuid4()))


ROLE_CHOICES = options((name, name) for name in Role(ALL_ROLES).names)


class RolesForm(FlaskForm):
    roles = CheckboxesField(_l("Roles"), choices=ROLE_CHOICES,
                            validators=[DataRequired(_l("Choose at least one role."))])
    community = SelectField(_l("Community"))
    venues = CheckboxesField(_l("Venues (for venue staff)"), coerce=int)

    @property
    def role_flags(self):
        flags = Role(0)
        for name in self.roles.data or ():
            flags |= Role.parse(name)
        return flags


class UserForm(RolesForm):
    name = line_field(_l("Name"), 50, required=_l("Please enter a name."))
    phone = _phone("off")
    password = _new_password(_l("First password (at least 8 characters)"))


class PasswordForm(FlaskForm):
    password = _new_password(_l("New password (at least 8 characters)"))


class ActivateForm(FlaskForm):
    """A one-time code from the community office, and the password it lets the resident choose."""
    phone = _phone("username")
    code = StringField(_l("Code from your community office"),
                       validators=[DataRequired(_l("Please enter the code from your community office."))],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 20})
    password = _new_password(_l("New password (at least 8 characters)"))
    password_again = PasswordField(_l("The new password again"), validators=[
        DataRequired(_l("Please enter the new password again.")),
        EqualTo("password", _l("The two passwords are not the same. Please enter them again.")),
    ], render_kw={"autocomplete": "new-password"})


# Operations name fields as the API does; the forms sometimes call them otherwise.
FIELD_ALIASES = {"action_type_id": "action_type"}


def show_refusal(form, refusal):
    """Show a refusal beside the field it concerns, or above the form."""
    name = refusal.details.get("field") or ""
    field = form._fields.get(FIELD_ALIASES.get(name, name))
    if field is not None:
        field.errors = [*field.errors, str(refusal)]
    else:
        form.form_errors.append(str(refusal))
