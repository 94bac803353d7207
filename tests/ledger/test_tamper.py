"""`flask ledger verify` catches every edit made behind the ledger's back, and names the row."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, text, update

from points import ledger
from points.extensions import db
from points.ledger.chain import transfer_hash
from points.ledger.models import LedgerHead
from points.timeutil import now_utc
from tests.ledger.conftest import behind_the_triggers


@pytest.fixture
def books(make_user, make_venue):
    """Seven real transfers: awards, a deduction, a hold posted, a walk-in, and the deduction reversed."""
    zhang, li, venue = make_user(), make_user(), make_venue()
    ledger.award(zhang.id, 50, "t1", ledger.Memo(reason="清扫楼道"))
    ledger.award(li.id, 30, "t2", ledger.Memo(reason="志愿服务"))
    ledger.deduct(zhang.id, 5, "t3", ledger.Memo(reason="乱扔垃圾"))
    held = ledger.hold(zhang.id, venue.id, 10, "t4")
    ledger.post(held.id, "t5")
    ledger.redeem(li.id, venue.id, 8, "t6")
    ledger.reverse(3, "t7", ledger.Memo(reason="误扣"))
    db.session.commit()
    return SimpleNamespace(zhang=ledger.account_of(zhang.id), li=ledger.account_of(li.id), community=li.community_id)


def tamper(statement, **params):
    """Change the table as a database superuser can: past the append-only triggers (migration 0005)."""
    behind_the_triggers()
    db.session.execute(text(statement) if isinstance(statement, str) else statement, params)
    db.session.commit()


def verify_output(runner):
    result = runner.invoke(args=["ledger", "verify"])
    return result.exit_code, result.output


def test_a_clean_ledger_verifies(books, runner):
    code, output = verify_output(runner)
    assert code == 0, output
    assert "clean" in output


def test_an_empty_ledger_verifies(runner):
    assert verify_output(runner)[0] == 0


@pytest.mark.parametrize(("statement", "named"), [
    ("UPDATE transfers SET amount = amount + 1 WHERE id = 3", "transfer 3"),
    ("UPDATE transfers SET reason = '表现良好' WHERE id = 2", "transfer 2"),
    ("UPDATE transfers SET approved_by = 1 WHERE id = 5", "transfer 5"),
], ids=["amount", "reason", "approver"])
def test_an_edited_transfer_is_named(books, runner, statement, named):
    tamper(statement)
    code, output = verify_output(runner)
    assert code != 0
    assert f"LEDGER NOT CLEAN: {named}:" in output


def test_a_backdated_transfer_is_named(books, runner):
    written = db.session.get(ledger.Transfer, 4).created_at
    tamper(update(ledger.Transfer).where(ledger.Transfer.id == 4).values(created_at=written - timedelta(days=1)))
    code, output = verify_output(runner)
    assert code != 0
    assert "LEDGER NOT CLEAN: transfer 4:" in output


def test_points_redirected_to_another_account_are_named(books, runner):
    tamper("UPDATE transfers SET credit_account_id = :li WHERE id = 1", li=books.li)
    code, output = verify_output(runner)
    assert code != 0
    assert "LEDGER NOT CLEAN: transfer 1:" in output


def test_a_deleted_middle_row_is_named(books, runner):
    tamper("DELETE FROM transfers WHERE id = 6")
    code, output = verify_output(runner)
    assert code != 0
    assert "LEDGER NOT CLEAN: transfer 7: expected transfer 6 here" in output


def test_a_deleted_last_row_is_named(books, runner):
    tamper("DELETE FROM transfers WHERE id = 7")
    code, output = verify_output(runner)
    assert code != 0
    assert f"account {books.zhang}" in output
    assert "chain head: names transfer 7 as the last, the table ends at 6" in output


def forged(head, **fields):
    """A transfer that follows the chain head with a correctly computed hash, as a forger would write it."""
    row = dict(
        id=head.seq + 1, kind=ledger.TransferKind.AWARD, amount=1000, debit_account_id=1, credit_account_id=4,
        pending_id=None, reverses_id=None, idempotency_key="forged", reason="", category=None,
        requested_by=None, approved_by=None, ref_type=None, ref_id=None, created_at=now_utc(),
        prev_hash=head.last_hash,
    ) | fields
    return row | {"hash": transfer_hash(head.last_hash, row)}


def test_a_forged_row_with_a_plausible_hash_is_named(books, runner):
    head = db.session.get(LedgerHead, 1)
    tamper(insert(ledger.Transfer.__table__).values(forged(head, credit_account_id=books.zhang)))
    code, output = verify_output(runner)
    assert code != 0
    assert "LEDGER NOT CLEAN: account 1:" in output  # issuance paid out 1000 the balances never saw
    assert f"account {books.zhang}:" in output
    assert "the table ends at 8" in output


def test_a_forged_row_with_matching_balances_is_still_named(books, runner):
    head = db.session.get(LedgerHead, 1)
    row = forged(head, credit_account_id=books.zhang)
    db.session.execute(insert(ledger.Transfer.__table__).values(row))
    for account, change in ((1, -1000), (books.zhang, 1000)):
        tamper(update(ledger.Account).where(ledger.Account.id == account).values(
            available=ledger.Account.available + change,
            earned_total=ledger.Account.earned_total + max(change, 0),
        ))
    code, output = verify_output(runner)
    assert code != 0
    assert "LEDGER NOT CLEAN: chain head: names transfer 7 as the last, the table ends at 8" in output


def test_a_forged_row_with_a_made_up_hash_is_named(books, runner):
    head = db.session.get(LedgerHead, 1)
    tamper(insert(ledger.Transfer.__table__).values(forged(head) | {"hash": "ab" * 32}))
    code, output = verify_output(runner)
    assert code != 0
    assert "LEDGER NOT CLEAN: transfer 8: its contents do not match its hash" in output


@pytest.mark.parametrize("column", ["available", "held", "earned_total"])
def test_an_edited_balance_is_named(books, runner, column):
    tamper(f"UPDATE accounts SET {column} = {column} + 7 WHERE id = :zhang", zhang=books.zhang)
    code, output = verify_output(runner)
    assert code != 0
    assert f"LEDGER NOT CLEAN: account {books.zhang}:" in output


def test_balances_moved_between_accounts_are_named(books, runner):
    """The total still sums to zero, but each account disagrees with its transfers."""
    tamper("UPDATE accounts SET available = available - 9 WHERE id = :zhang", zhang=books.zhang)
    tamper("UPDATE accounts SET available = available + 9 WHERE id = :li", li=books.li)
    code, output = verify_output(runner)
    assert code != 0
    assert f"account {books.zhang}:" in output and f"account {books.li}:" in output


def test_verify_lists_every_problem_found(books):
    tamper("UPDATE transfers SET reason = 'x' WHERE id = 2")
    tamper("UPDATE accounts SET held = held + 1 WHERE id = :li", li=books.li)
    assert [problem.where for problem in ledger.verify()] == [
        "transfer 2", f"account {books.li}", "all accounts", f"community {books.community}"]

