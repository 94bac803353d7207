"""Forms of the venue, session and booking pages. They check shapes; the operations check the rules."""
import re
import uuid
from datetime import time, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms import TimeField, ValidationError
from wtforms.validators import UUID, DataRequired, InputRequired, NumberRange

from points.redemption.models import NoShowPolicy
from points.redemption.times import local_day
from points.redemption.venues import KINDS
from points.timeutil import now_utc
from points.web.forms import CheckboxesField, line_field, options, paragraph_field

WEEKDAYS = [(0, _l("Monday")), (1, _l("Tuesday")), (2, _l("Wednesday")), (3, _l("Thursday")),
            (4, _l("Friday")), (5, _l("Saturday")), (6, _l("Sunday"))]
CLOCK = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")  # 19:00, also with the full-width colon


def _whole(label, low, high, message, default=None):
    return IntegerField(label, default=default,
                        validators=[InputRequired(message), NumberRange(min=low, max=high, message=message)],
                        render_kw={"inputmode": "numeric", "min": low, "max": high})


def _capacity():
    return _whole(_l("Places"), 1, 1000, _l("Enter a number of places from 1 to 1000."), default=10)


def _cost(default=5):
    return _whole(_l("Cost in points"), 1, 10_000, _l("Enter a cost from 1 to 10000 points."), default=default)


def _minutes():
    return _whole(_l("Length in minutes"), 15, 720, _l("Enter a length from 15 to 720 minutes."), default=60)


class RequestKeyForm(FlaskForm):
    """One key per rendered form: the same form sent twice acts once."""

    request_key = HiddenField(validators=[UUID(_l("This form has expired. Please try again."))],
                              default=lambda: str(uuid.uuid4()))


class VenueForm(FlaskForm):
    name = line_field(_l("Venue name"), 100, required=_l("Please enter a name."))
    name_en = line_field(_l("Name (English)"), 100)
    kind = SelectField(_l("Kind"), choices=options(KINDS.items()))
    place = line_field(_l("Where it is"), 200)
    rules = paragraph_field(_l("Rules shown to residents"), 5000, render_kw={"rows": 5})
    no_show_policy = RadioField(_l("When a resident does not come"), default=NoShowPolicy.RELEASE.value, choices=options([
        (NoShowPolicy.RELEASE.value, _l("Give the points back")),
        (NoShowPolicy.FORFEIT.value, _l("The points go to the venue")),
    ]))
    staff = CheckboxesField(_l("Staff at the door"), coerce=int)
    active = BooleanField(_l("Open for bookings"), default=True)


class OfferingForm(FlaskForm):
    name_zh = line_field(_l("Name (Chinese)"), 100, required=_l("Please enter a name."))
    name_en = line_field(_l("Name (English)"), 100)
    cost = _cost(default=None)


def _within_a_year(form, field):
    """Days a session can be published on; also keeps far-off dates from overflowing the time arithmetic."""
    today = local_day(now_utc())
    if field.data and not today - timedelta(days=1) <= field.data <= today + timedelta(days=366):
        raise ValidationError(_l("Please choose a day within the coming year."))


class SessionForm(FlaskForm):
    day = DateField(_l("Day"), validators=[InputRequired(_l("Please choose a day.")), _within_a_year])
    start = TimeField(_l("Starts at"), validators=[InputRequired(_l("Please enter a start time."))])
    minutes = _minutes()
    capacity = _capacity()
    cost = _cost()


class TimetableForm(FlaskForm):
    first_day = DateField(_l("From"), validators=[InputRequired(_l("Please choose a day.")), _within_a_year])
    last_day = DateField(_l("Until (included)"), validators=[InputRequired(_l("Please choose a day.")), _within_a_year])
    weekdays = CheckboxesField(_l("On these days"), coerce=int, choices=options(WEEKDAYS),
                               validators=[DataRequired(_l("Please choose at least one day of the week."))])
    times = StringField(_l("Start times"), validators=[DataRequired(_l("Please enter at least one start time."))],
                        render_kw={"placeholder": "09:00, 19:00", "autocomplete": "off"})
    minutes = _minutes()
    capacity = _capacity()
    cost = _cost()

    def validate_times(self, field):
        field.clock_times = []
        for part in re.split(r"[,，、\s]+", field.data or ""):
            if not part:
                continue
            match = CLOCK.match(part)
            if match is None:
                raise ValidationError(_l("Write times as 09:00, separated by commas."))
            field.clock_times.append(time(int(match[1]), int(match[2])))
