"""Exports through the API: the file itself, scoped by the caller's role."""
from points.api.blueprint import Blueprint

blp = Blueprint("exports", __name__, url_prefix="/api/v1", description="Exports (admins and reviewers)")
