"""Placeholder: the households pages (issue 11)."""
from flask import Blueprint

bp = Blueprint("households", __name__)
