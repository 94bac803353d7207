"""The racing fixtures of tests/concurrency (the app with a pool as large as the race, a live server)."""
from tests.concurrency.conftest import app, post_at_once, race, server  # noqa: F401
