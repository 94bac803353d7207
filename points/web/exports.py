"""Exports from the pages: a download beside every list, and the background exports' progress."""
from flask import Blueprint

bp = Blueprint("export_pages", __name__, url_prefix="/admin/exports")
