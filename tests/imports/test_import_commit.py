"""Committing a file: all of it or none, once — a second import changes nothing, and a resident gets
one opening balance ever; the ledger verifies after it and the audit log has one row for it."""
import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from points import ledger
from points.accounts import operations as accounts
from points.accounts.models import Role, User
from points.audit import AuditEntry
from points.extensions import db
from points.households import operations as households
from points.imports import residents as imports
from points.imports.models import ImportStatus
from tests.imports.spreadsheets import csv_bytes, where, written


@pytest.fixture(autouse=True)
def in_english(app):
    """The messages are read in English here (the page and command tests read them in Chinese)."""
    with force_locale("en"):
        yield


def residents(count, points=10, start=1):
    return [[f"居民{n}", f"136{n:08d}", "锦湖社区" if n % 2 else "午山社区", str(points), f"{n}-101"]
            for n in range(start, start + count)]


def person(phone):
    return db.session.execute(select(User).where(User.phone == phone)).scalar()


def transfers():
    return db.session.execute(select(func.count()).select_from(ledger.Transfer)).scalar()


def audit_rows(action="import.committed"):
    return db.session.execute(select(AuditEntry).where(AuditEntry.action == action)).scalars().all()


def test_one_bad_row_in_a_thousand_and_nothing_is_written(run):
    rows = residents(1000)
    rows[499][1] = "1360000"  # row 501 of the spreadsheet
    before = written()
    batch = run(csv_bytes(rows))
    assert (batch.status, where(batch), batch.rows) == (ImportStatus.FAILED, [(501, "手机号")], 1000)
    assert written() == before
    assert person(rows[0][1]) is None


def test_a_thousand_residents_are_written_with_their_accounts_and_opening_balances(run, admin):
    batch = run(csv_bytes(residents(1000, points=7)))
    assert (batch.status, batch.rows, batch.ready, batch.created, batch.skipped) == ("done", 1000, 1000, 1000, 0)
    assert batch.opening_points == 7000
    resident = person("13600000501")
    assert (resident.name, resident.community.name, resident.household.number, resident.role_names) == (
        "居民501", "锦湖社区", "501-101", ["resident"])
    assert resident.password_hash is None and not resident.check_password("")
    assert ledger.balance(resident.id) == ledger.Balance(available=7, held=0, earned_total=7)
    line = ledger.history(resident.id)[0]
    assert (line.transfer.kind, line.change) == (ledger.TransferKind.ADJUSTMENT, 7)
    assert ledger.verify() == []


def test_the_opening_balances_record_the_batch_and_who_imported_it(run, admin):
    batch = run(csv_bytes(residents(2)))
    account = ledger.account_of(person("13600000001").id)
    transfer = db.session.execute(select(ledger.Transfer).where(ledger.Transfer.credit_account_id == account)).scalar()
    assert (transfer.kind, transfer.debit_account_id) == (ledger.TransferKind.ADJUSTMENT, ledger.OPENING_ACCOUNT)
    assert (transfer.ref_type, transfer.ref_id, transfer.requested_by) == ("import", batch.id, admin.id)


def test_importing_the_same_file_again_creates_nothing(run):
    content = csv_bytes(residents(50))
    first = run(content)
    before, moved = written(), transfers()
    again = run(content)
    assert (again.status, again.rows, again.skipped, again.created, again.opening_points) == ("done", 50, 50, 0, 0)
    assert transfers() == moved
    before["audit_log"] += 1  # the second import is recorded, having done nothing
    assert written() == before
    assert imports.earlier_import(again).id == first.id


def test_a_resident_gets_one_opening_balance_ever(run, make_user):
    """An existing resident without one gets the file's; a later file with another amount gives no second one."""
    resident = make_user(name="张桂兰", community="锦湖社区")
    first = run(csv_bytes([["张桂兰", resident.phone, "锦湖社区", "30", ""]]))
    assert (first.ready, first.created, first.skipped, first.opening_points) == (1, 0, 0, 30)
    second = run(csv_bytes([["张桂兰", resident.phone, "锦湖社区", "99", ""], *residents(1)]))
    assert (second.created, second.skipped, second.opening_points) == (1, 1, 10)
    assert ledger.balance(resident.id) == ledger.Balance(available=30, held=0, earned_total=30)
    assert ledger.has_opening_balance([ledger.account_of(resident.id)]) == {ledger.account_of(resident.id)}


def test_an_existing_resident_without_a_balance_in_the_file_is_skipped(run, make_user):
    resident = make_user(name="张桂兰", community="锦湖社区")
    batch = run(csv_bytes([["张桂兰", resident.phone, "锦湖社区", "", ""]]))
    assert (batch.status, batch.ready, batch.skipped, batch.created) == ("done", 0, 1, 0)


def test_a_dry_run_checks_and_writes_nothing_then_the_same_batch_is_confirmed(run, admin):
    before = written()
    batch = run(csv_bytes(residents(3)), dry_run=True)
    assert (batch.status, batch.ready, batch.created) == (ImportStatus.CHECKED, 3, 0)
    assert written() == before
    assert audit_rows() == []
    batch.dry_run = False
    imports.import_residents(admin, batch)
    db.session.commit()
    assert (batch.status, batch.created) == (ImportStatus.DONE, 3)


def test_a_confirmed_batch_checks_again_what_changed_since_its_preview(run, admin, make_user):
    batch = run(csv_bytes(residents(2)), dry_run=True)
    db.session.execute(User.__table__.update().where(User.id == admin.id).values(phone="13600000002"))
    db.session.commit()
    batch.dry_run = False
    imports.import_residents(admin, batch)
    assert (batch.status, where(batch)) == (ImportStatus.FAILED, [(3, "手机号")])
    assert person("13600000001") is None


def test_one_audit_row_for_a_commit_none_for_a_dry_run_or_a_refusal(run, admin):
    run(csv_bytes(residents(2)), dry_run=True)
    run(csv_bytes([["张三", "123", "锦湖社区", "", ""]]))
    batch = run(csv_bytes(residents(2)))
    [entry] = audit_rows()
    assert (entry.actor_id, entry.target_type, entry.target_id) == (admin.id, "imports", batch.id)
    assert entry.details | {"file": None} == {"file": None, "rows": 2, "created": 2, "completed": 0, "skipped": 0,
                                              "opening_balances": 2, "opening_points": 20}


def test_communities_are_created_when_allowed(run):
    batch = run(csv_bytes([["张三", "13600000001", "新城社区", "", ""], ["李四", "13600000002", "新城社区", "", ""]]),
                create_communities=True)
    assert batch.created == 2
    assert person("13600000002").community.name == "新城社区"
    assert audit_rows()[0].details["communities_created"] == ["新城社区"]


def test_progress_is_told_in_stages(run):
    said = []
    run(csv_bytes(residents(1200)), progress=lambda stage, done, total: said.append((stage, done, total)))
    assert [s for s in said if s[0] == "reading"][0][1:] == (500, 1200)
    assert ("checking", 1000, 1200) in said
    assert said[-1] == ("writing", 1200, 1200)


def test_the_failed_rows_come_back_as_in_the_file_with_what_is_wrong(run):
    rows = residents(4)
    rows[1][1], rows[3][3] = "12", "-5"
    batch = run(csv_bytes(rows))
    header, failed = imports.failed_rows(batch)
    assert header[:-1] == ["姓名", "手机号", "社区", "期初积分", "户号"]
    failed = list(failed)
    assert [line[:5] for line in failed] == [rows[1], rows[3]]
    assert failed[0][-1].startswith("手机号: ") and "negative" in failed[1][-1]


def test_a_file_refused_as_a_whole_has_no_failed_rows_to_download(run):
    batch = run(b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert batch.status == ImportStatus.FAILED
    header, failed = imports.failed_rows(batch)
    assert list(failed) == []


def test_residents_of_one_household_number_become_one_household_under_the_first_of_them(run, admin):
    reviewer = accounts.create_user("13900000077", "审核员", "password1", Role.REVIEWER, "锦湖社区")
    earlier = accounts.create_user("13900000088", "老住户", "password1", Role.RESIDENT, "锦湖社区")
    kept = households.create(reviewer, earlier, "2-202")  # already formed at the office: it keeps its head
    db.session.commit()
    batch = run(csv_bytes([["张桂兰", "13600000001", "锦湖社区", "", "1-101"],
                           ["李明", "13600000002", "锦湖社区", "", "1-101"],
                           ["王芳", "13600000003", "午山社区", "", "1-101"],  # the same number elsewhere: another home
                           ["赵敏", "13600000004", "锦湖社区", "", "2-202"]]))
    assert batch.created == 4
    zhang, li, wang, zhao = (person(f"1360000000{n}") for n in range(1, 5))
    assert zhang.household_id == li.household_id != wang.household_id
    assert (zhang.heads_household, li.heads_household, wang.heads_household) == (True, False, True)
    assert zhao.household_id == kept.id and not zhao.heads_household
