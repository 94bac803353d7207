"""Every role against every route: who may pass the door (role checks on the server).

Each route is listed with the roles that may use it. A role not listed must be turned away (401 or
403, before any object is looked up: never 404); one that is listed must never be (no 401/403).
A route missing from the table fails the test, so a new route cannot slip in unclassified. Below,
the reach table does the same for the objects of a resident: whoever does not reach the resident
gets exactly 404, whoever does is never turned away.
"""
from datetime import timedelta

import pytest

from points import ledger
from points.accounts import members
from points.accounts.models import Role
from points.earning import claims
from points.earning.models import ActionType, Unit
from points.extensions import db
from points.households import operations as households
from points.records import operations as records
from points.redemption import bookings, sessions, venues
from points.timeutil import now_utc
from tests.earning.helpers import image_bytes, upload

PUBLIC, SIGNED_IN = "public", "signed-in"
R, S, V, A = Role.RESIDENT, Role.STAFF, Role.REVIEWER, Role.ADMIN
ORGANISERS = {V, A}

ROUTES = {
    # pages
    "GET /": SIGNED_IN,
    "GET /login": PUBLIC, "POST /login": PUBLIC, "GET /register": PUBLIC, "POST /register": PUBLIC,
    "GET /activate": PUBLIC, "POST /activate": PUBLIC, "GET /forgot-password": PUBLIC,
    "POST /lang/<code>": PUBLIC, "POST /care": PUBLIC, "POST /logout": SIGNED_IN, "GET /healthz": PUBLIC,
    "GET /board": SIGNED_IN, "GET /board/print": SIGNED_IN,
    "GET /admin": ORGANISERS,
    "GET /admin/residents/<int:user_id>": ORGANISERS, "POST /admin/residents/<int:user_id>": ORGANISERS,
    "GET /admin/award-requests": {A},
    "GET /admin/residents/<int:user_id>/transfers/<int:transfer_id>/reverse": {A},
    "POST /admin/residents/<int:user_id>/transfers/<int:transfer_id>/reverse": {A},
    "GET /admin/audit": {A}, "GET /admin/audit/audit.csv": {A},
    "GET /admin/import": {A}, "POST /admin/import": {A}, "GET /admin/import/<int:import_id>": {A},
    "GET /admin/import/<int:import_id>/progress": {A}, "POST /admin/import/<int:import_id>/commit": {A},
    "GET /admin/import/<int:import_id>/failed.csv": {A}, "GET /admin/import/sample.<kind>": {A},
    "GET /admin/expiry": {A}, "POST /admin/expiry/request": {A},
    "POST /admin/expiry/<int:run_id>/approve": {A}, "POST /admin/expiry/<int:run_id>/refuse": {A},
    "POST /admin/award-requests/<int:request_id>/approve": {A},
    "POST /admin/award-requests/<int:request_id>/refuse": {A},
    "GET /admin/users": {A}, "GET /admin/users/new": {A}, "POST /admin/users/new": {A},
    "GET /admin/users/<int:user_id>": {A}, "POST /admin/users/<int:user_id>": {A},
    "POST /admin/users/<int:user_id>/active": {A}, "POST /admin/users/<int:user_id>/password": {A},
    "GET /admin/actions": {A}, "GET /admin/actions/new": {A}, "POST /admin/actions/new": {A},
    "GET /admin/actions/<int:action_type_id>": {A}, "POST /admin/actions/<int:action_type_id>": {A},
    "POST /admin/actions/<int:action_type_id>/active": {A},
    "GET /admin/venues": {A}, "GET /admin/venues/new": {A}, "POST /admin/venues/new": {A},
    "GET /admin/venues/<int:venue_id>": {A}, "POST /admin/venues/<int:venue_id>": {A},
    "POST /admin/venues/<int:venue_id>/offerings": {A},
    "GET /admin/venues/<int:venue_id>/sessions": {A}, "POST /admin/venues/<int:venue_id>/sessions": {A},
    "GET /admin/venues/<int:venue_id>/timetable": {A}, "POST /admin/venues/<int:venue_id>/timetable": {A},
    "POST /admin/offerings/<int:offering_id>/active": {A},
    "GET /admin/sessions/<int:session_id>": {A}, "POST /admin/sessions/<int:session_id>/cancel": {A},
    "GET /claims": SIGNED_IN, "GET /claims/new": {R, V, A}, "POST /claims/new": {R, V, A},
    "POST /claims/<int:claim_id>/withdraw": SIGNED_IN,
    "GET /claims/<int:claim_id>/photos/<int:photo_id>": SIGNED_IN,
    "GET /review": ORGANISERS, "POST /review/decide": ORGANISERS,
    "GET /review/residents": ORGANISERS, "GET /review/residents/new": ORGANISERS,
    "POST /review/residents/new": ORGANISERS,
    "GET /activities": ORGANISERS, "GET /activities/new": ORGANISERS, "POST /activities/new": ORGANISERS,
    "GET /activities/<int:activity_id>": ORGANISERS,
    "GET /activities/<int:activity_id>/check-in": ORGANISERS,
    "POST /activities/<int:activity_id>/check-in": ORGANISERS,
    "POST /activities/<int:activity_id>/close": ORGANISERS,
    "GET /member": {R}, "GET /member/qr.svg": {R},
    "GET /people/<int:user_id>/card": ORGANISERS, "POST /people/<int:user_id>/card": ORGANISERS,
    "GET /people/<int:user_id>/card/qr.svg": ORGANISERS, "POST /people/<int:user_id>/code": ORGANISERS,
    "GET /people/<int:user_id>/record": ORGANISERS, "POST /people/<int:user_id>/record": ORGANISERS,
    "GET /people/<int:user_id>/record/<int:record_id>": ORGANISERS,
    "GET /me/record": {R}, "POST /me/record": {R}, "GET /me/record/<int:record_id>": {R},
    "GET /verify/<path:code>": PUBLIC,
    "GET /venues": {R}, "GET /venues/<int:venue_id>": {R},
    "GET /sessions/<int:session_id>/book": {R}, "POST /sessions/<int:session_id>/book": {R},
    "GET /bookings": SIGNED_IN, "GET /bookings/<int:booking_id>": SIGNED_IN,
    "GET /bookings/<int:booking_id>/slip": SIGNED_IN,
    "POST /bookings/<int:booking_id>/cancel": SIGNED_IN, "POST /notifications/read": SIGNED_IN,
    "GET /helpers": SIGNED_IN, "POST /helpers": {R}, "GET /helpers/for/<int:resident_id>": SIGNED_IN,
    "POST /helpers/<int:grant_id>/accept": SIGNED_IN, "POST /helpers/<int:grant_id>/decline": SIGNED_IN,
    "POST /helpers/<int:grant_id>/revoke": SIGNED_IN,
    "GET /scan": {S, A}, "POST /scan/check": {S, A}, "POST /scan/decode": {S, V, A},
    "GET /scan/today": {S, A}, "GET /scan/venue": {S, A},
    "GET /scan/walk-in": {S, A}, "POST /scan/walk-in": {S, A}, "POST /scan/walk-in/member": {S, A},
    "POST /scan/walk-in/card": {S, A},
    "GET /static/<path:filename>": PUBLIC,
    "GET /households/<int:household_id>": SIGNED_IN, "POST /households/<int:household_id>/pass": SIGNED_IN,
    "POST /households/new/<int:user_id>": ORGANISERS, "POST /households/<int:household_id>/members": ORGANISERS,
    "POST /households/<int:household_id>/members/<int:user_id>/remove": ORGANISERS,
    "POST /households/<int:household_id>/members/<int:user_id>/head": ORGANISERS,
    "POST /households/<int:household_id>/number": ORGANISERS,
    "GET /households/<int:household_id>/card": ORGANISERS, "POST /households/<int:household_id>/card": ORGANISERS,
    "POST /households/<int:household_id>/card/revoke": ORGANISERS,
    "GET /households/<int:household_id>/card/qr.svg": ORGANISERS,
    # the API
    "GET /api/v1/openapi.json": PUBLIC, "POST /api/v1/auth/token": PUBLIC, "DELETE /api/v1/auth/token": SIGNED_IN,
    "POST /api/v1/auth/activate": PUBLIC,
    "GET /api/v1/me": SIGNED_IN, "GET /api/v1/me/ledger": SIGNED_IN,
    "GET /api/v1/me/household": {R}, "POST /api/v1/me/household/transfers": {R},
    "GET /api/v1/audit": {A},
    "POST /api/v1/imports": {A}, "GET /api/v1/imports/<int:import_id>": {A},
    "POST /api/v1/imports/<int:import_id>/commit": {A},
    "POST /api/v1/awards": ORGANISERS, "GET /api/v1/award-requests": {A},
    "POST /api/v1/award-requests/<int:request_id>/approve": {A},
    "POST /api/v1/award-requests/<int:request_id>/refuse": {A},
    "POST /api/v1/transfers/<int:transfer_id>/reverse": {A},
    "GET /api/v1/action-types": SIGNED_IN, "POST /api/v1/action-types": {A},
    "GET /api/v1/claims": SIGNED_IN, "POST /api/v1/claims": SIGNED_IN,
    "GET /api/v1/claims/<int:claim_id>": SIGNED_IN,
    "POST /api/v1/claims/<int:claim_id>/approve": ORGANISERS,
    "POST /api/v1/claims/<int:claim_id>/reject": ORGANISERS,
    "POST /api/v1/claims/<int:claim_id>/withdraw": SIGNED_IN,
    "GET /api/v1/claims/<int:claim_id>/photos/<int:photo_id>": SIGNED_IN,
    "GET /api/v1/activities": ORGANISERS, "POST /api/v1/activities": ORGANISERS,
    "POST /api/v1/activities/<int:activity_id>/participants": ORGANISERS,
    "POST /api/v1/activities/<int:activity_id>/close": ORGANISERS,
    "GET /api/v1/venues": SIGNED_IN, "POST /api/v1/venues": {A},
    "GET /api/v1/sessions": SIGNED_IN, "POST /api/v1/sessions": {A},
    "POST /api/v1/sessions/<int:session_id>/cancel": {A},
    "GET /api/v1/bookings": SIGNED_IN, "POST /api/v1/bookings": SIGNED_IN,
    "GET /api/v1/bookings/<int:booking_id>": SIGNED_IN,
    "POST /api/v1/bookings/<int:booking_id>/cancel": SIGNED_IN,
    "GET /api/v1/bookings/<int:booking_id>/qr.svg": SIGNED_IN,
    "POST /api/v1/checkins": {S, A}, "POST /api/v1/walk-ins": {S, A},
    "GET /admin/reports": ORGANISERS, "GET /admin/reports/statement": ORGANISERS,
    "GET /api/v1/reports/monthly": ORGANISERS,
    "GET /admin/exports": ORGANISERS, "POST /admin/exports": ORGANISERS, "GET /admin/exports/<kind>": ORGANISERS,
    "GET /admin/exports/jobs/<int:export_id>/progress": ORGANISERS,
    "GET /admin/exports/jobs/<int:export_id>/file": ORGANISERS,
    "GET /api/v1/exports/<kind>": ORGANISERS,
}
ROLES = {"anonymous": None, "resident": R, "staff": S, "reviewer": V, "admin": A}


def routes_of(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield f"{method} {rule.rule}", rule


def test_every_route_is_classified(app):
    assert sorted(set(key for key, _ in routes_of(app)) - set(ROUTES)) == []
    assert sorted(set(ROUTES) - set(key for key, _ in routes_of(app))) == []


def example_path(rule):
    """The rule with its parameters filled in: an id nobody has, or a harmless value."""
    values = {name: ("app.css" if name == "filename" else "zh" if name == "code" else 424242) for name in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def call(client, method, path, headers):
    if path.startswith("/api/"):
        return client.open(path, method=method, headers=headers, json={})
    return client.open(path, method=method, headers=headers, data={})


@pytest.mark.parametrize("role_name", ROLES)
def test_each_role_meets_the_door_it_should(app, client, make_user, token_for, role_name):
    role = ROLES[role_name]
    user = make_user(role) if role else None
    page_headers = {}
    api_headers = token_for(user) if user else {}
    if user:
        client.post("/login", data={"phone": user.phone, "password": "password1"})
    wrong = []
    for key, rule in sorted(routes_of(app), key=lambda item: item[0]):
        method, path = key.split(" ", 1)[0], example_path(rule)
        response = call(client, method, path, api_headers if path.startswith("/api/") else page_headers)
        response.close()
        if key != "POST /logout":  # its answer is a redirect to the sign-in page, for everyone
            wrong += _misfit(ROUTES[key], role, key, response)
        if key == "POST /logout" and user:  # signed out by the call: sign in again
            client.post("/login", data={"phone": user.phone, "password": "password1"})
        if key == "DELETE /api/v1/auth/token" and user:  # the call revoked the token: take another
            api_headers = token_for(user)
    assert wrong == [], "\n".join(wrong)


def _misfit(allowed, role, key, response):
    status = response.status_code
    if status >= 500:
        return [f"{key}: {status}"]
    turned_away = status in (401, 403) or (status == 302 and "/login" in response.headers.get("Location", ""))
    if allowed == PUBLIC or (allowed == SIGNED_IN and role is not None) or (role is not None and role in allowed):
        return [f"{key}: turned away with {status}"] if turned_away else []
    # A role check comes before any object is looked up, so a role turned away never learns
    # whether the id exists: 401/403, never 404.
    if turned_away:
        return []
    return [f"{key}: let in with {status}"]


# ---- Reach: what belongs to a resident answers 404 to whoever does not reach them ----
#
# The owner reaches themself; a reviewer the residents of their community; an admin everyone. To
# anyone else a resident, their claims, photos, bookings, tickets and member card answer exactly as
# something that does not exist (404 `not_found`), so nobody can probe which ids are in use.

OWNED = ("<int:user_id>", "<int:claim_id>", "<int:booking_id>", "<int:photo_id>")
OWNER, REVIEWER, ADMIN = "owner", "reviewer", "admin"  # reach the owner's things
STRANGER, NEIGHBOUR = "stranger", "neighbour"  # a reviewer elsewhere; a resident next door
ANYONE, ORGANISERS_IN, STRANGER_ONLY = {OWNER, REVIEWER, ADMIN}, {REVIEWER, ADMIN}, {STRANGER}
OUTSIDERS = {STRANGER, NEIGHBOUR}
CLAIM, PHOTO = "/claims/{claim}", "/claims/{claim}/photos/{photo}"
BOOKING = "/bookings/{booking}"
HOUSEHOLD = "/households/{household}"

# route: (path, body, who reaches it and must never be turned away, who must get exactly 404).
# The reviewer can see a claim but only its resident withdraws it: that is a rule of the action (403).
REACH = {
    "GET /admin/residents/<int:user_id>": ("/admin/residents/{owner}", None, ORGANISERS_IN, STRANGER_ONLY),
    "POST /admin/residents/<int:user_id>": ("/admin/residents/{owner}", {}, ORGANISERS_IN, STRANGER_ONLY),
    "GET /people/<int:user_id>/card": ("/people/{owner}/card", None, ORGANISERS_IN, STRANGER_ONLY),
    "POST /people/<int:user_id>/card": ("/people/{owner}/card", {}, ORGANISERS_IN, STRANGER_ONLY),
    "GET /people/<int:user_id>/card/qr.svg": ("/people/{owner}/card/qr.svg", None, ORGANISERS_IN, STRANGER_ONLY),
    "POST /people/<int:user_id>/code": ("/people/{owner}/code", {}, ORGANISERS_IN, STRANGER_ONLY),
    "GET /people/<int:user_id>/record": ("/people/{owner}/record", None, ORGANISERS_IN, STRANGER_ONLY),
    "POST /people/<int:user_id>/record": ("/people/{owner}/record", {}, ORGANISERS_IN, STRANGER_ONLY),
    "GET /people/<int:user_id>/record/<int:record_id>": ("/people/{owner}/record/{record}", None, ORGANISERS_IN,
                                                         STRANGER_ONLY),
    "GET /claims/new": ("/claims/new?resident={owner}", None, ANYONE, OUTSIDERS),
    "GET /claims/<int:claim_id>/photos/<int:photo_id>": (PHOTO, None, ANYONE, OUTSIDERS),
    "POST /claims/<int:claim_id>/withdraw": (CLAIM + "/withdraw", {}, {OWNER}, OUTSIDERS),
    "GET /venues": ("/venues?for={owner}", None, ANYONE, OUTSIDERS),
    "GET /venues/<int:venue_id>": ("/venues/{venue}?for={owner}", None, ANYONE, OUTSIDERS),
    "GET /sessions/<int:session_id>/book": ("/sessions/{session}/book?for={owner}", None, ANYONE, OUTSIDERS),
    "POST /sessions/<int:session_id>/book": ("/sessions/{session}/book?for={owner}", {}, ANYONE, OUTSIDERS),
    "GET /bookings/<int:booking_id>": (BOOKING, None, ANYONE, OUTSIDERS),
    "POST /bookings/<int:booking_id>/cancel": (BOOKING + "/cancel", {}, ANYONE, OUTSIDERS),
    "GET /bookings/<int:booking_id>/slip": (BOOKING + "/slip", None, ANYONE, OUTSIDERS),
    "GET /households/<int:household_id>": (HOUSEHOLD, None, ANYONE, OUTSIDERS),
    "POST /households/<int:household_id>/pass": (HOUSEHOLD + "/pass", {}, {OWNER}, OUTSIDERS),
    "POST /households/new/<int:user_id>": ("/households/new/{owner}", {}, ORGANISERS_IN, STRANGER_ONLY),
    "POST /households/<int:household_id>/members/<int:user_id>/head": (
        HOUSEHOLD + "/members/{owner}/head", {}, ORGANISERS_IN, STRANGER_ONLY),
    "POST /households/<int:household_id>/members/<int:user_id>/remove": (
        HOUSEHOLD + "/members/{owner}/remove", {}, ORGANISERS_IN, STRANGER_ONLY),
    "GET /households/<int:household_id>/card": (HOUSEHOLD + "/card", None, ORGANISERS_IN, STRANGER_ONLY),
    "POST /api/v1/awards": ("/api/v1/awards", {"user_id": "{owner}", "points": 5, "note": "x"},
                            ORGANISERS_IN, STRANGER_ONLY),
    "POST /api/v1/claims": ("/api/v1/claims", {"user_id": "{owner}", "action_type_id": "{action}",
                                               "occurred_on": "{today}"}, ANYONE, OUTSIDERS),
    "GET /api/v1/claims/<int:claim_id>": ("/api/v1" + CLAIM, None, ANYONE, OUTSIDERS),
    "POST /api/v1/claims/<int:claim_id>/approve": ("/api/v1" + CLAIM + "/approve", {}, ORGANISERS_IN, STRANGER_ONLY),
    "POST /api/v1/claims/<int:claim_id>/reject": ("/api/v1" + CLAIM + "/reject", {"reason": "x"},
                                                  ORGANISERS_IN, STRANGER_ONLY),
    "POST /api/v1/claims/<int:claim_id>/withdraw": ("/api/v1" + CLAIM + "/withdraw", {}, {OWNER}, OUTSIDERS),
    "GET /api/v1/claims/<int:claim_id>/photos/<int:photo_id>": ("/api/v1" + PHOTO, None, ANYONE, OUTSIDERS),
    "POST /api/v1/bookings": ("/api/v1/bookings", {"user_id": "{owner}", "session_id": "{session}"},
                              ANYONE, OUTSIDERS),
    "GET /api/v1/bookings/<int:booking_id>": ("/api/v1" + BOOKING, None, ANYONE, OUTSIDERS),
    "POST /api/v1/bookings/<int:booking_id>/cancel": ("/api/v1" + BOOKING + "/cancel", {}, ANYONE, OUTSIDERS),
    # The ticket's QR is for its owner alone: whoever else asks is told there is none.
    "GET /api/v1/bookings/<int:booking_id>/qr.svg": ("/api/v1" + BOOKING + "/qr.svg", None, {OWNER},
                                                     OUTSIDERS | ORGANISERS_IN),
}


def test_every_route_naming_a_residents_things_is_in_the_reach_table():
    """Admin-only routes aside (an admin reaches everyone), each one has its row below."""
    named = [key for key in ROUTES if any(name in key for name in OWNED) and ROUTES[key] != {A}]
    assert sorted(set(named) - set(REACH)) == []


@pytest.fixture
def world(app, make_user):
    """A resident of 锦湖社区 with a claim (and its photo), a booking, a member card and a household; who reaches them."""
    people = {OWNER: make_user(R), REVIEWER: make_user(V), ADMIN: make_user(A),
              STRANGER: make_user(V, community="午山社区"), NEIGHBOUR: make_user(R)}
    owner = people[OWNER]
    action = ActionType(code="sweeping", name_zh="清扫楼道", name_en="Sweeping", category="environment", points=3,
                        unit=Unit.TIME, evidence_required=False, self_claimable=True)
    db.session.add(action)
    db.session.flush()
    claim = claims.submit(owner, owner, action.id, claims.local_today(), 1, "", [upload(image_bytes())])
    venue = venues.create_venue("乒乓球馆", "table_tennis")
    starts = now_utc() + timedelta(days=1)
    session = sessions.create_session(venue, starts, starts + timedelta(hours=1), 10, 5)
    ledger.award(owner.id, 50, "award:reach")
    booking = bookings.book(owner, owner, session, "book:reach")
    members.issue_card(owner, people[ADMIN])
    household = households.create(people[REVIEWER], owner)
    record = records.make(owner, owner, *records.default_period())
    db.session.commit()
    ids = {"owner": owner.id, "record": record.id, "claim": claim.id, "photo": claim.photos[0].id, "booking": booking.id,
           "venue": venue.id, "session": session.id, "household": household.id, "action": action.id, "today": claims.local_today().isoformat()}
    return people, ids


def _filled(value, ids):
    """The table's {placeholders} filled in; a whole "{name}" becomes the value itself (an id stays a number)."""
    if isinstance(value, dict):
        return {name: _filled(item, ids) for name, item in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
        return ids[value[1:-1]]
    return value.format(**ids) if isinstance(value, str) else value


def test_out_of_reach_is_not_found_and_in_reach_is_let_in(client, world, login, token_for):
    people, ids = world
    answers = []  # outsiders first: the owner's side then changes things (withdraws, cancels)
    for side in ("outside", "inside"):
        for name, person in people.items():
            asks = [(key, path, body) for key, (path, body, reachers, outsiders) in REACH.items()
                    if name in (outsiders if side == "outside" else reachers)]
            login(person)
            headers = token_for(person)
            answers += [(key, name, side, _ask(client, headers, key, path, body, ids)) for key, path, body in asks]
    wrong = [f"{key}: {name} got {status} {code}" for key, name, side, (status, code) in answers
             if (side == "outside" and (status, code) not in ((404, "not_found"), (404, None)))
             or (side == "inside" and (status in (401, 403, 404) or status >= 500))]
    assert wrong == [], "\n".join(wrong)


def _ask(client, headers, key, path, body, ids):
    """(status, the API's error code or None) of one call."""
    method, path = key.split(" ", 1)[0], _filled(path, ids)
    api = path.startswith("/api/")
    kwargs = {"json": _filled(body, ids)} if api and body is not None else {"data": body}
    response = client.open(path, method=method, headers=headers if api else {}, **kwargs)
    code = response.get_json(silent=True)["error"]["code"] if api and response.status_code >= 400 else None
    response.close()
    if response.status_code == 302 and "/login" in response.headers["Location"]:
        return 401, code  # sent to sign in: turned away as surely as a 401
    return response.status_code, code
