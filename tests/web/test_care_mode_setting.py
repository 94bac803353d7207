"""长辈版 care mode: the switch, remembered in the browser before sign-in and on the account after."""
import json

from points.accounts.models import Role, User
from points.extensions import db


def _is_care(page, url="/"):
    return 'class="care"' in page(url)[1]


def test_switch_before_sign_in_carries_to_the_account(client, make_user, login, page):
    resident = make_user()
    response = client.post("/care", data={"on": "1", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert _is_care(page, "/login")  # the sign-in page is large already
    login(resident)
    assert _is_care(page)
    assert db.session.get(User, resident.id).care_mode is True


def test_account_choice_follows_to_another_browser_and_stays_after_sign_out(app, client, make_user, login, page):
    resident = make_user()
    login(resident)
    client.post("/care", data={"on": "1", "next": "/"})
    client.post("/logout")
    assert _is_care(page, "/login")  # signing out changes nothing on screen

    other = app.test_client()  # a fresh browser: no cookie, so the account decides
    other.post("/login", data={"phone": resident.phone, "password": "password1"})
    assert 'class="care"' in other.get("/").get_data(as_text=True)


def test_turning_it_off_on_the_account_is_not_undone_by_an_old_browser(app, client, make_user, login, page):
    resident = make_user()
    login(resident)
    client.post("/care", data={"on": "1"})
    other = app.test_client()
    other.post("/login", data={"phone": resident.phone, "password": "password1"})
    other.post("/care", data={"on": "0"})
    client.post("/logout")
    login(resident)  # this browser's cookie only mirrored the account: it does not overrule it
    assert not _is_care(page)


def test_unsafe_next_goes_home_and_bad_values_mean_off(client, make_user, login):
    response = client.post("/care", data={"on": "yes", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert 'class="care"' not in client.get("/login").get_data(as_text=True)


def test_care_home_shows_balance_then_code_bookings_claim_only(client, make_user, login, page):
    login(make_user())
    client.post("/care", data={"on": "1"})
    html = page("/")[1]
    care_list = html[html.index("data-care-home"):]
    order = [care_list.index(path) for path in ('href="/member"', 'href="/bookings"', 'href="/claims/new"')]
    assert order == sorted(order) and html.index("data-available") < html.index("data-care-home")
    assert "history-title" not in html and 'href="/activities"' not in care_list.split("</nav>")[0]


def test_the_switch_says_its_state(client, page):
    assert 'aria-pressed="false"' in page("/login")[1]
    client.post("/care", data={"on": "1"})
    assert 'aria-pressed="true"' in page("/login")[1]


def test_staff_land_on_the_scanner(client, make_user, login):
    login(make_user(roles=Role.STAFF))
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/scan"


def test_manifest_names_icons_that_load(client):
    with client.get("/static/manifest.webmanifest") as response:
        manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "文明积分" and manifest["display"] == "standalone" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as response:
            assert response.status_code == 200 and response.mimetype == icon["type"]
    assert 'rel="manifest"' in client.get("/login").get_data(as_text=True)
