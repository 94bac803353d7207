"""The scanner in Debian's Chromium with a fake camera: a one-frame video of a QR code plays as the
phone's rear camera (recipe: shared/recipes/camera-e2e.md). The video file is a launch flag, so
each code gets its own browser launch (about 0.2 s)."""
import uuid
from pathlib import Path

import pytest
import qrcode
from PIL import Image

from points import ROOT
from points.accounts import operations as accounts
from points.accounts.models import Role
from points.redemption import venues
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import skip_or_fail

DECODER = ROOT / "static" / "vendor" / "jsQR.js"
FRAME = (640, 480)
QR_SIDE = 300


def y4m_with_qr(text, path):
    """One 4:2:0 frame (Chromium loops it) with the QR code in the middle of a white picture."""
    width, height = FRAME
    qr = qrcode.make(text, border=4).get_image().convert("RGB").resize((QR_SIDE, QR_SIDE), Image.NEAREST)
    frame = Image.new("RGB", FRAME, "white")
    frame.paste(qr, ((width - QR_SIDE) // 2, (height - QR_SIDE) // 2))
    # Pillow's YCbCr is full-range JPEG YCbCr, which is what C420jpeg declares.
    luma, blue, red = frame.convert("YCbCr").split()
    half = (width // 2, height // 2)
    planes = luma.tobytes() + blue.resize(half, Image.BOX).tobytes() + red.resize(half, Image.BOX).tobytes()
    header = f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\nFRAME\n".encode()
    Path(path).write_bytes(header + planes)


@pytest.fixture(scope="session")
def decoder_installed():
    if not DECODER.exists():
        skip_or_fail(f"{DECODER} is missing: `make assets` installs jsQR from npm and copies it there")


@pytest.fixture
def camera_showing(playwright, decoder_installed, tmp_path):
    """camera_showing(text, allowed=True) -> a Chromium whose camera films a QR code of `text` (with the
    camera permission refused unless `allowed`); closed after the test."""
    launched = []

    def launch(text, allowed=True):
        video = tmp_path / f"camera-{uuid.uuid4().hex[:8]}.y4m"
        y4m_with_qr(text, video)
        flags = ["--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={video}"]
        if allowed:  # without this flag the camera prompt is refused, as a person can refuse it
            flags.append("--use-fake-ui-for-media-stream")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + flags)
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()


@pytest.fixture
def open_phone(open_context):
    """open_phone(browser) -> a page on a 360×740 phone screen in Chinese, on the live server.
    A script error on any such page fails the test."""
    script_errors = []

    def open_page(browser):
        page = open_context(browser).new_page()
        page.on("pageerror", lambda error: script_errors.append(error))
        return page

    yield open_page
    assert script_errors == []


@pytest.fixture
def door(seed):
    """A venue with a walk-in offering, its staff member, a colleague and a resident:
    {venue_id, staff_phone, colleague_phone, resident_id}."""
    with seed():
        venue = venues.create_venue("羽毛球馆", "badminton")
        venues.add_offering(venue, "羽毛球一小时", "Badminton, one hour", 10)
        staff = accounts.create_user("13500000001", "郑晓", "password1", Role.STAFF, "锦湖社区")
        colleague = accounts.create_user("13500000002", "王芳", "password1", Role.STAFF, "锦湖社区")
        venues.assign_staff(venue, [staff, colleague])
        resident = accounts.create_user("13500001234", "张桂兰", "password1", Role.RESIDENT, "锦湖社区")
        return {"venue_id": venue.id, "staff_phone": staff.phone, "colleague_phone": colleague.phone,
                "resident_id": resident.id}
