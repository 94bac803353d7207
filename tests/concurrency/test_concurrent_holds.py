"""Ledger calls racing from many threads, each with its own app context: every hold resolves once."""
from collections import Counter

import pytest

from points import ledger
from points.errors import Refusal
from points.extensions import db
from points.redemption.models import Venue


@pytest.fixture
def resident_with_30(make_user):
    resident = make_user()
    venue = Venue(name="游泳馆", kind="游泳")
    db.session.add(venue)
    db.session.flush()
    ledger.open_venue_account(venue.id)
    ledger.award(resident.id, 30, "seed")
    db.session.commit()
    return resident.id, venue.id


def attempt(app, call):
    """One ledger call in its own app context (own session, own connection): committed, or refused."""
    with app.app_context():
        try:
            call()
        except Refusal as refusal:
            db.session.rollback()
            return refusal.code
        db.session.commit()
        return "ok"


def test_racing_holds_hold_exactly_what_is_available(app, race, resident_with_30):
    resident, venue = resident_with_30
    outcomes = race(16, lambda i, _: attempt(app, lambda: ledger.hold(resident, venue, 5, f"hold-{i}")))
    assert Counter(outcomes) == {"ok": 6, "insufficient_points": 10}
    assert ledger.balance(resident) == ledger.Balance(available=0, held=30, earned_total=30)
    assert ledger.verify() == []


def test_racing_posts_and_voids_resolve_a_hold_once(app, race, resident_with_30):
    resident, venue = resident_with_30
    hold = ledger.hold(resident, venue, 10, "booking").id
    resolve = (ledger.post, ledger.void)
    outcomes = race(16, lambda i, _: attempt(app, lambda: resolve[i % 2](hold, f"resolve-{i}")))
    assert Counter(outcomes) == {"ok": 1, "hold_resolved": 15}
    winner = outcomes.index("ok") % 2  # 0: posted, the venue has the points; 1: voided, they are back
    assert ledger.balance(resident) == ledger.Balance(available=(20, 30)[winner], held=0, earned_total=30)
    assert ledger.verify() == []


def test_racing_reversals_reverse_once(app, race, resident_with_30):
    resident, venue = resident_with_30
    walk_in = ledger.redeem(resident, venue, 10, "walk-in").id
    outcomes = race(16, lambda i, _: attempt(app, lambda: ledger.reverse(walk_in, f"undo-{i}")))
    assert Counter(outcomes) == {"ok": 1, "already_reversed": 15}
    assert ledger.balance(resident).available == 30
    assert ledger.verify() == []
