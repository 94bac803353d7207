"""Service records: made from a resident's page or by the resident, checked by anyone at /verify/<code>."""
from flask import Blueprint

bp = Blueprint("record_pages", __name__)
