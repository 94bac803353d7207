"""Forms; Flask-WTF gives each a CSRF token."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    phone = StringField(_l("Mobile number"), validators=[DataRequired(_l("Please enter your mobile number."))],
                        render_kw={"inputmode": "tel", "autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please enter your password."))],
                             render_kw={"autocomplete": "current-password"})


class RegisterForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Please enter your name.")), Length(max=50)],
                       render_kw={"autocomplete": "name"})
    phone = StringField(_l("Mobile number"), validators=[DataRequired(_l("Please enter your mobile number."))],
                        render_kw={"inputmode": "tel", "autocomplete": "tel"})
    community = StringField(_l("Community"), validators=[DataRequired(_l("Please choose your community."))])
    password = PasswordField(_l("Password (at least 8 characters)"),
                             validators=[DataRequired(_l("Please choose a password."))],
                             render_kw={"autocomplete": "new-password"})
