"""Ticket codes: an unguessable code for the QR, and a short code a person can type in by hand."""
import secrets

import qrcode
from qrcode.image.svg import SvgPathFillImage
from sqlalchemy import select

from points.extensions import db
from points.redemption.models import Booking

TICKET_PREFIX = "T1."
# No 0/O, 1/I/L: the short code is read aloud and typed on a phone keyboard.
SHORT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_LENGTH = 8


def new_ticket_code():
    """'T1.' + 192 random bits: unguessable, and the prefix tells a ticket from a member code."""
    return TICKET_PREFIX + secrets.token_urlsafe(24)


def new_short_code():
    """8 characters (about 40 bits) that no other booking has; retried on the rare collision."""
    while True:
        short = "".join(secrets.choice(SHORT_ALPHABET) for _ in range(SHORT_LENGTH))
        if db.session.execute(select(Booking.id).where(Booking.short_code == short)).first() is None:
            return short


def normalise_short_code(typed):
    """What a person typed, as stored: capitals, without the spaces and dash we print for reading."""
    return "".join(typed.split()).replace("-", "").upper()


def spaced(short_code):
    """ABCD-EFGH: two groups of four are easier to read out and type."""
    return f"{short_code[:4]}-{short_code[4:]}"


def qr_svg(code):
    """The ticket's QR code as SVG text, black on a white square with the quiet zone around it."""
    image = qrcode.make(code, image_factory=SvgPathFillImage, box_size=10, border=4,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    return image.to_string(encoding="unicode")
