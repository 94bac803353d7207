"""The signed-in person's home: a resident sees the balance first."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from points import ledger

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    return render_template(
        "home.html", balance=ledger.balance(current_user.id), lines=ledger.history(current_user.id, limit=20)
    )
