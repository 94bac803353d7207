"""The live server and racing helpers of tests/concurrency, with a pool large enough for 40 racers."""
import importlib.util
from pathlib import Path

import pytest

from points import create_app
from points.extensions import db

_path = Path(__file__).resolve().parents[2] / "concurrency" / "conftest.py"
_spec = importlib.util.spec_from_file_location("concurrency_fixtures", _path)
_shared = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_shared)

server, post_at_once, race = _shared.server, _shared.post_at_once, _shared.race
RACERS = _shared.RACERS = 40  # this copy of the helpers only; tests/concurrency keeps its own


@pytest.fixture
def app(database_url):
    """As tests/concurrency's app, with a PostgreSQL connection for each of 40 racing requests."""
    config = {**_shared.TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url,
              "PASSWORD_HASH_METHOD": "scrypt:1024:8:1"}
    if database_url.startswith("postgresql"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": RACERS + 4, "max_overflow": 0}
    app = create_app(config)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
