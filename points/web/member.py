"""The member QR on the resident's phone, and the printed member card reviewers make for others.

The phone page shows a signed code that expires after CODE_LIFETIME seconds and is fetched afresh
every REFRESH_EVERY seconds, so a screenshot is soon worthless. The card holds a random code that
lasts until the card is re-issued.
"""
import io

import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from points.accounts import members, reach
from points.accounts.models import Role, mask_name
from points.errors import NotFound
from points.web.access import roles_required

bp = Blueprint("member", __name__)
CARD_MAKERS = (Role.REVIEWER, Role.ADMIN)


@bp.get("/member")
@roles_required(Role.RESIDENT)
def index():
    return render_template("member/qr.html", masked_name=mask_name(current_user.name),
                           refresh_seconds=members.REFRESH_EVERY)


@bp.get("/member/qr.svg")
@roles_required(Role.RESIDENT)
def phone_qr():
    """A fresh code every time; never cached, so an old one is not shown again by mistake."""
    return qr_response(members.phone_code(current_user))


@bp.route("/people/<int:user_id>/card", methods=["GET", "POST"])
@roles_required(*CARD_MAKERS)
def card(user_id):
    """The resident's card for printing; POST issues one (re-issuing revokes the one before)."""
    resident = reach.resident_for(current_user, user_id)
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        members.issue_card(resident, current_user)
        return redirect(url_for("member.card", user_id=resident.id))
    return render_template("member/card.html", resident=resident, card=members.current_card(resident), form=form)


@bp.get("/people/<int:user_id>/card/qr.svg")
@roles_required(*CARD_MAKERS)
def card_qr(user_id):
    card = members.current_card(reach.resident_for(current_user, user_id))
    if card is None:
        raise NotFound()
    return qr_response(card.code)


def qr_response(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer)
    return Response(buffer.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})
