"""The dashboard and the monthly statement (admins: every community; reviewers: their own)."""
from flask import Blueprint

bp = Blueprint("report_pages", __name__, url_prefix="/admin/reports")
