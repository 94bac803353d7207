"""Reports through the API: the monthly statement."""
from points.api.blueprint import Blueprint

blp = Blueprint("reports", __name__, url_prefix="/api/v1", description="Reports (admins and reviewers)")
