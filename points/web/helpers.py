"""Placeholder: the helpers pages (issue 11)."""
from flask import Blueprint

bp = Blueprint("helpers", __name__)
