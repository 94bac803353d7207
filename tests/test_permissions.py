"""Every role against every route: who may pass the door (role checks on the server).

Each route is listed with the roles that may use it. A role not listed must be turned away (403,
or 404 where a path names an object it may not see); one that is listed must never be (no 401/403).
A route missing from the table fails the test, so a new route cannot slip in unclassified. The
object-level rules (own community, own venue, own booking) have their own tests by domain.
"""
import pytest

from points.accounts.models import Role

PUBLIC, SIGNED_IN = "public", "signed-in"
R, S, V, A = Role.RESIDENT, Role.STAFF, Role.REVIEWER, Role.ADMIN
ORGANISERS = {V, A}

ROUTES = {
    # pages
    "GET /": SIGNED_IN,
    "GET /login": PUBLIC, "POST /login": PUBLIC, "GET /register": PUBLIC, "POST /register": PUBLIC,
    "POST /lang/<code>": PUBLIC, "POST /logout": SIGNED_IN, "GET /healthz": PUBLIC,
    "GET /board": SIGNED_IN, "GET /board/print": SIGNED_IN,
    "GET /admin": ORGANISERS,
    "GET /admin/residents/<int:user_id>": ORGANISERS, "POST /admin/residents/<int:user_id>": ORGANISERS,
    "GET /admin/award-requests": {A},
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
    "GET /people/<int:user_id>/card/qr.svg": ORGANISERS,
    "GET /venues": {R}, "GET /venues/<int:venue_id>": {R},
    "GET /sessions/<int:session_id>/book": {R}, "POST /sessions/<int:session_id>/book": {R},
    "GET /bookings": SIGNED_IN, "GET /bookings/<int:booking_id>": SIGNED_IN,
    "POST /bookings/<int:booking_id>/cancel": SIGNED_IN, "POST /notifications/read": SIGNED_IN,
    "GET /scan": {S, A}, "POST /scan/check": {S, A}, "POST /scan/decode": {S, V, A},
    "GET /scan/today": {S, A}, "GET /scan/venue": {S, A},
    "GET /scan/walk-in": {S, A}, "POST /scan/walk-in": {S, A}, "POST /scan/walk-in/member": {S, A},
    "GET /static/<path:filename>": PUBLIC,
    # the API
    "GET /api/v1/openapi.json": PUBLIC, "POST /api/v1/auth/token": PUBLIC, "DELETE /api/v1/auth/token": SIGNED_IN,
    "GET /api/v1/me": SIGNED_IN, "GET /api/v1/me/ledger": SIGNED_IN,
    "POST /api/v1/awards": ORGANISERS, "GET /api/v1/award-requests": {A},
    "POST /api/v1/award-requests/<int:request_id>/approve": {A},
    "POST /api/v1/award-requests/<int:request_id>/refuse": {A},
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
    expected_refusals = (401, 403, 404) if "<" in key else (401, 403)
    if turned_away or status in expected_refusals:
        return []
    return [f"{key}: let in with {status}"]
