"""The photo fallback in a real browser: a photo with no code in it says so, and is never sent to be
checked as if it were a ticket ("not a ticket of ours")."""
import io

import pytest
from PIL import Image

from tests.browser.scanner.test_scanner_camera import RESULT, open_scanner, scans_logged

pytestmark = pytest.mark.browser


def test_a_photo_without_a_code_asks_for_another_photo(browser, open_phone, seed, door, sign_in,
                                                       accessibility_problems):
    blank = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(blank, "PNG")
    page = open_phone(browser)
    open_scanner(page, sign_in, door)
    with page.expect_response("**/scan/decode") as decoded:
        page.locator("input[type=file][data-scanner-photo]").set_input_files(
            files=[{"name": "wall.png", "mimeType": "image/png", "buffer": blank.getvalue()}])
    result = page.locator(f'{RESULT}[data-result="photo_unread"]')
    result.wait_for()
    said = decoded.value.json()["error"]["message"]
    assert said in result.inner_text() and "本系统的入场码" not in result.inner_text()
    assert result.get_attribute("data-tone") == "wait"
    assert scans_logged(seed) == 0  # nothing was checked, so nothing was refused
    assert accessibility_problems(page) == []
