"""Writing many transfers at once keeps every rule of one-at-a-time writes: the chain, the balances,
one opening balance per resident, nothing written when any move is refused."""
import pytest

from points import ledger
from points.accounts.models import User
from points.extensions import db
from points.ledger.models import EXPIRY_ACCOUNT, OPENING_ACCOUNT, TransferKind


@pytest.fixture
def residents(make_user):
    """Three residents' (user id, account id)."""
    people = [make_user(name=f"居民{n}") for n in range(3)]
    return [(person.id, ledger.account_of(person.id)) for person in people]


def test_opening_balances_count_as_earned_and_the_books_verify(residents):
    written = ledger.opening_balances([(account, 30 + n) for n, (_user, account) in enumerate(residents)],
                                      ledger.Memo(reason="paper card", ref_type="import", ref_id=1))
    db.session.commit()

    assert written == 3
    assert [ledger.balance(user) for user, _account in residents] == [
        ledger.Balance(available=30 + n, held=0, earned_total=30 + n) for n in range(3)]
    assert ledger.verify() == []
    line = ledger.history(residents[0][0])[0]
    assert (line.transfer.kind, line.transfer.debit_account_id, line.change) == (
        TransferKind.ADJUSTMENT, OPENING_ACCOUNT, 30)


def test_a_resident_gets_one_opening_balance_ever(residents):
    user, account = residents[0]
    ledger.opening_balances([(account, 30)])
    db.session.commit()

    assert ledger.opening_balances([(account, 30), (residents[1][1], 5)]) == 1  # only the new one
    assert ledger.opening_balances([(account, 99)]) == 0  # another amount is no second chance
    db.session.commit()

    assert ledger.balance(user).available == 30
    assert ledger.has_opening_balance([account, residents[1][1], residents[2][1]]) == {account, residents[1][1]}


def test_reversing_an_opening_balance_takes_it_out_of_the_earned_total(residents):
    user, account = residents[0]
    ledger.opening_balances([(account, 30)])
    record = ledger.reverse(ledger.history(user)[0].transfer.id, "undo")
    db.session.commit()

    assert record.kind == TransferKind.REVERSAL
    assert ledger.balance(user) == ledger.Balance(available=0, held=0, earned_total=0)
    assert ledger.verify() == []


def test_one_overdrawn_move_writes_nothing(residents, snapshot):
    (rich, rich_account), (_poor, poor_account) = residents[0], residents[1]
    ledger.award(rich, 10, "seed")
    db.session.commit()
    before = snapshot()

    moves = [ledger.Move(rich_account, EXPIRY_ACCOUNT, 10, "expiry:a"),
             ledger.Move(poor_account, EXPIRY_ACCOUNT, 1, "expiry:b")]
    with pytest.raises(ledger.InsufficientPoints):
        ledger.write_many(TransferKind.EXPIRY, moves)
    db.session.rollback()

    assert snapshot() == before


def test_a_key_written_for_another_transfer_is_refused(residents):
    _user, account = residents[0]
    ledger.opening_balances([(account, 30)])
    db.session.commit()

    clash = ledger.Move(account, EXPIRY_ACCOUNT, 30, f"opening:{account}")
    with pytest.raises(ledger.KeyReused):
        ledger.write_many(TransferKind.EXPIRY, [clash])


def test_accounts_open_for_many_people_at_once(app):
    people = [User(phone=f"1370000{n:04d}", name=f"导入{n}", password_hash="x") for n in range(1200)]
    db.session.add_all(people)
    db.session.flush()

    accounts = ledger.open_accounts([person.id for person in people])

    assert len(set(accounts.values())) == 1200
    assert all(ledger.account_of(person.id) == accounts[person.id] for person in people[::100])


def test_thousands_of_moves_continue_the_chain(make_user):
    person = make_user()
    ledger.award(person.id, 1, "before")
    users = [make_user(name=f"批量{n}").id for n in range(20)]
    accounts = [ledger.account_of(user) for user in users]
    # More moves than one statement's chunk, to cross a chunk boundary.
    ledger.opening_balances([(account, 1) for account in accounts])
    moves = [ledger.Move(OPENING_ACCOUNT, accounts[n % 20], 1, f"extra:{n}") for n in range(1500)]
    assert ledger.write_many(TransferKind.ADJUSTMENT, moves) == 1500
    ledger.award(person.id, 1, "after")  # one-at-a-time writes go on from the batch's last hash
    db.session.commit()

    assert ledger.verify() == []
    assert sum(ledger.balance(user).available for user in users) == 20 + 1500
