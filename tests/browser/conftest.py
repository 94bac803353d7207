"""Browser fixtures: the app served from a thread, driven by Debian's Chromium through Playwright.

Playwright's sync API runs its own event loop in this thread, so the server runs in another one.
Browser tests need only SQLite: each gets a fresh copy of the migrated template database.
"""
import os
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from points import create_app
from points.accounts import operations as accounts
from points.accounts.models import Role
from points.extensions import db
from tests.conftest import TEST_CONFIG, skip_or_fail

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def live_app(sqlite_url):
    """The app as a browser meets it: CSRF on, as in production."""
    app = create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "SQLALCHEMY_DATABASE_URI": sqlite_url})
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(live_app):
    """The base URL of the app, served on a free port from a background thread."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def seed(live_app):
    """seed() opens the app's database for setting up data; what it yields is committed."""

    @contextmanager
    def open_db():
        with live_app.app_context():
            yield db.session
            db.session.commit()
            db.session.remove()

    return open_db


@pytest.fixture
def live_user(seed):
    """live_user(roles=..., name=..., community=...) -> (phone, id) of a committed user, password "password1"."""
    phones = iter(range(13600000000, 13700000000))

    def make(roles=Role.RESIDENT, name="测试居民", community="锦湖社区"):
        with seed():
            user = accounts.create_user(str(next(phones)), name, "password1", roles, community)
            return user.phone, user.id

    return make


@pytest.fixture(scope="session")
def playwright():
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def launch_chromium(playwright):
    """launch_chromium(*extra_args) starts a headless Chromium (e.g. with a fake camera); closed at the end."""
    launched = []

    def launch(*extra_args):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS + list(extra_args))
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()


@pytest.fixture(scope="session")
def browser(launch_chromium):
    return launch_chromium()


PHONE_CONTEXT = {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
                 "locale": "zh-CN"}


@pytest.fixture
def open_context(accessibility_watch, live_server):
    """open_context(browser, **options) -> a new browser context on the live server (a 360×740 phone in
    Chinese unless the options say otherwise) whose every page axe-core checks; closed after the test."""
    opened = []

    def open_(browser, **options):
        context = browser.new_context(**{**PHONE_CONTEXT, "base_url": live_server, **options})
        context.set_default_timeout(10_000)
        accessibility_watch.watch(context)
        opened.append(context)
        return context

    yield open_
    for context in opened:
        accessibility_watch.check_last_state(context)
        context.close()
    accessibility_watch.assert_none_found()


@pytest.fixture
def phone_page(browser, open_context):
    """A page on a 360×740 phone screen, in Chinese, opened on the live server."""
    return open_context(browser).new_page()


@pytest.fixture
def sign_in():
    """sign_in(page, phone) fills the real sign-in form."""

    def fill(page, phone, password="password1"):
        page.goto("/login")
        page.get_by_label("手机号码").fill(phone)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url(lambda url: "/login" not in url)

    return fill


@pytest.fixture
def screenshot():
    """screenshot(page, "name") saves tests/artifacts/name.png (git-ignored) for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return save


def horizontal_overflow(page):
    """How many CSS pixels the page is wider than the screen (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


AXE = Path(__file__).resolve().parent.parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        skip_or_fail(f"{AXE} is missing: `make assets` installs axe-core from npm")
    return AXE.read_text()


# Run in every page of a watched context: axe-core checks each page once it has loaded, one run at a time
# (axe refuses to start while it runs), and reports what it found through the binding the context exposes.
AXE_RUNNER = """
(() => {
  if (window.top !== window || !location.protocol.startsWith('http')) return;
  let queue = Promise.resolve();
  window.__axeCheck = () => (queue = queue.then(() => axe.run(document, {
      runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}))
    .then(result => result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
      .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)));
  window.addEventListener('load', () => setTimeout(
    () => window.__axeCheck().then(found => window.__axeReport(location.pathname + location.search, found))
      .then(() => { window.__axeReported = true; }), 0));
})();
"""


class AccessibilityWatch:
    """axe-core's serious and critical (WCAG 2.1 AA) violations on every page state a test shows: each
    page as it loads, and each page's last state when the test ends. Evaluated through the DevTools
    protocol, which the page's CSP does not govern."""

    def __init__(self, axe_source):
        self.script = axe_source + AXE_RUNNER
        self.found = {}  # "path: rule: elements" -> None, in the order found

    def watch(self, context):
        context.expose_binding("__axeReport", lambda _source, path, found: self._note(path, found))
        context.add_init_script(self.script)

    def check(self, page):
        """The violations on the page as it is now."""
        if not page.evaluate("() => typeof window.__axeCheck === 'function'"):
            page.evaluate(self.script)  # a page opened before its context was watched
        return page.evaluate("() => window.__axeCheck()")

    def check_last_state(self, context):
        for page in context.pages:
            if not page.is_closed() and page.url.startswith("http"):
                self._note(page.url.split("/", 3)[-1], self.check(page))

    def assert_none_found(self):
        assert not self.found, "axe-core found serious or critical problems:\n" + "\n".join(self.found)

    def _note(self, path, found):
        self.found.update(dict.fromkeys(f"/{path.lstrip('/')}: {problem}" for problem in found))


@pytest.fixture
def accessibility_watch(axe_source):
    return AccessibilityWatch(axe_source)


@pytest.fixture
def accessibility_problems(accessibility_watch):
    """accessibility_problems(page) -> the serious and critical axe-core (WCAG 2.1 AA) violations now."""
    return accessibility_watch.check


class Printed(str):
    """The text of a printed page, laid out as on paper; `.pages` is how many A4 sheets it took."""

    pages: int


@pytest.fixture
def printed_text():
    """printed_text(page, name=None) prints the page to PDF as Chromium's print does (A4 unless the page's
    @page says otherwise) and returns its text from `pdftotext -layout`, with `.pages`; a `name` also keeps
    the PDF as tests/artifacts/<name>.pdf for people to look at."""
    if not shutil.which("pdftotext"):
        skip_or_fail("pdftotext is missing: install Debian's poppler-utils package (apt-get install poppler-utils)")

    def print_(page, name=None):
        pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        if name:
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
        done = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf,
                              capture_output=True, check=True)
        text = Printed(done.stdout.decode("utf-8"))
        text.pages = text.count("\f") or 1  # pdftotext ends every page with a form feed
        return text

    return print_
