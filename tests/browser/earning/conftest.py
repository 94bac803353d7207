"""Browser fixtures for earning: the live app keeps its photos in the test's own folder."""
import pytest

from points import create_app
from points.extensions import db
from tests.conftest import TEST_CONFIG


@pytest.fixture
def live_app(sqlite_url, tmp_path):
    """As tests/browser's live_app (CSRF on), with uploads under tmp_path/uploads."""
    app = create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "SQLALCHEMY_DATABASE_URI": sqlite_url,
                      "UPLOAD_FOLDER": str(tmp_path / "uploads")})
    yield app
    with app.app_context():
        db.engine.dispose()
