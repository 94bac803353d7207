"""The fake-camera fixtures of tests/browser/scanner, for the activity check-in scanner."""
from tests.browser.scanner.conftest import camera_showing, decoder_installed, open_phone  # noqa: F401
