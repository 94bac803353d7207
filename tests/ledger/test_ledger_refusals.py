"""Every refusal of the ledger: the right error and code, and the books exactly as they were."""
from types import SimpleNamespace

import pytest

from points import ledger
from points.extensions import db


@pytest.fixture
def books(make_user, make_venue):
    """A resident holding 20 points (from transfer 1) and a venue."""
    resident, venue = make_user(), make_venue()
    ledger.award(resident.id, 20, "seed")
    db.session.commit()
    return SimpleNamespace(user=resident.id, venue=venue.id)


def deduct_too_much(b):
    return lambda: ledger.deduct(b.user, 21, "k")


def hold_too_much(b):
    return lambda: ledger.hold(b.user, b.venue, 21, "k")


def redeem_too_much(b):
    return lambda: ledger.redeem(b.user, b.venue, 21, "k")


def spend_points_on_hold(b):
    ledger.hold(b.user, b.venue, 15, "h")
    return lambda: ledger.deduct(b.user, 10, "k")


def reverse_a_spent_award(b):
    ledger.redeem(b.user, b.venue, 15, "r")
    return lambda: ledger.reverse(1, "k")


def post_a_voided_hold(b):
    held = ledger.hold(b.user, b.venue, 5, "h")
    ledger.void(held.id, "v")
    return lambda: ledger.post(held.id, "k")


def void_a_posted_hold(b):
    held = ledger.hold(b.user, b.venue, 5, "h")
    ledger.post(held.id, "p")
    return lambda: ledger.void(held.id, "k")


def post_twice(b):
    held = ledger.hold(b.user, b.venue, 5, "h")
    ledger.post(held.id, "p")
    return lambda: ledger.post(held.id, "k")


def post_an_award(b):
    return lambda: ledger.post(1, "k")


def void_a_missing_transfer(b):
    return lambda: ledger.void(999, "k")


def reverse_twice(b):
    ledger.reverse(1, "first")
    return lambda: ledger.reverse(1, "k")


def reverse_a_hold(b):
    held = ledger.hold(b.user, b.venue, 5, "h")
    return lambda: ledger.reverse(held.id, "k")


def reverse_a_reversal(b):
    reversal = ledger.reverse(1, "first")
    return lambda: ledger.reverse(reversal.id, "k")


def reverse_a_missing_transfer(b):
    return lambda: ledger.reverse(999, "k")


def reuse_a_key_for_another_amount(b):
    return lambda: ledger.award(b.user, 21, "seed")


def reuse_a_key_for_another_kind(b):
    return lambda: ledger.deduct(b.user, 20, "seed")


def reuse_a_key_for_another_hold(b):
    first = ledger.hold(b.user, b.venue, 5, "h1")
    ledger.hold(b.user, b.venue, 5, "h2")
    ledger.post(first.id, "p")
    return lambda: ledger.post(first.id + 1, "p")


def award_someone_without_an_account(b):
    return lambda: ledger.award(10_000, 5, "k")


def redeem_at_a_venue_without_an_account(b):
    return lambda: ledger.redeem(b.user, 10_000, 5, "k")


CASES = [
    (deduct_too_much, ledger.InsufficientPoints, "insufficient_points"),
    (hold_too_much, ledger.InsufficientPoints, "insufficient_points"),
    (redeem_too_much, ledger.InsufficientPoints, "insufficient_points"),
    (spend_points_on_hold, ledger.InsufficientPoints, "insufficient_points"),
    (reverse_a_spent_award, ledger.InsufficientPoints, "insufficient_points"),
    (post_a_voided_hold, ledger.HoldResolved, "hold_resolved"),
    (void_a_posted_hold, ledger.HoldResolved, "hold_resolved"),
    (post_twice, ledger.HoldResolved, "hold_resolved"),
    (post_an_award, ledger.NotAHold, "not_a_hold"),
    (void_a_missing_transfer, ledger.NotAHold, "not_a_hold"),
    (reverse_twice, ledger.AlreadyReversed, "already_reversed"),
    (reverse_a_hold, ledger.NotReversible, "not_reversible"),
    (reverse_a_reversal, ledger.NotReversible, "not_reversible"),
    (reverse_a_missing_transfer, ledger.NotReversible, "not_reversible"),
    (reuse_a_key_for_another_amount, ledger.KeyReused, "idempotency_key_reused"),
    (reuse_a_key_for_another_kind, ledger.KeyReused, "idempotency_key_reused"),
    (reuse_a_key_for_another_hold, ledger.KeyReused, "idempotency_key_reused"),
    (award_someone_without_an_account, ledger.NoAccount, "no_account"),
    (redeem_at_a_venue_without_an_account, ledger.NoAccount, "no_account"),
]


@pytest.mark.parametrize("then", ["rollback", "commit"])
@pytest.mark.parametrize(("arrange", "refusal", "code"), CASES, ids=[case[0].__name__ for case in CASES])
def test_a_refusal_changes_nothing(books, snapshot, arrange, refusal, code, then):
    """Not even when the caller catches the refusal and commits what else it did (a bulk decision
    carries on with the next claim)."""
    attempt = arrange(books)
    db.session.commit()
    before = snapshot()
    with pytest.raises(refusal) as refused:
        attempt()
    getattr(db.session, then)()
    assert refused.value.code == code
    assert snapshot() == before
    assert ledger.verify() == []


def test_a_retried_key_returns_the_original_and_writes_nothing(books, snapshot):
    first = ledger.hold(books.user, books.venue, 5, "h")
    db.session.commit()
    before = snapshot()
    again = ledger.hold(books.user, books.venue, 5, "h")
    db.session.commit()
    assert (again.id, again.hash) == (first.id, first.hash)
    assert snapshot() == before


def test_points_on_hold_are_not_available_but_still_owned(books):
    held = ledger.hold(books.user, books.venue, 15, "h")
    db.session.commit()
    assert ledger.balance(books.user) == ledger.Balance(available=5, held=15, earned_total=20)
    ledger.void(held.id, "v")
    db.session.commit()
    assert ledger.balance(books.user) == ledger.Balance(available=20, held=0, earned_total=20)


def test_reversing_an_award_takes_it_out_of_the_earned_total(books):
    ledger.reverse(1, "undo")
    db.session.commit()
    assert ledger.balance(books.user) == ledger.Balance(available=0, held=0, earned_total=0)
    assert ledger.verify() == []
