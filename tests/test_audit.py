"""The audit log: one row for each change made on someone's word, none for a refusal, never edited."""
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from points import audit, ledger
from points.accounts.models import Role
from points.audit import AuditEntry
from points.extensions import db


def entries(action=None):
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return db.session.execute(query).scalars().all()


# ---- Append-only, in the database itself ----

@pytest.fixture
def written(make_user):
    """One transfer and one audit row, committed."""
    admin, resident = make_user(Role.ADMIN), make_user()
    ledger.award(resident.id, 5, "audit-test", ledger.Memo(reason="清扫楼道"))
    audit.record(admin, "award.posted", for_user=resident, points=5)
    db.session.commit()


@pytest.mark.parametrize("statement", [
    "UPDATE transfers SET amount = amount + 1",
    "DELETE FROM transfers",
    "UPDATE audit_log SET action = 'nothing.happened'",
    "DELETE FROM audit_log",
], ids=["update-transfer", "delete-transfer", "update-audit", "delete-audit"])
def test_a_raw_change_to_an_append_only_table_fails(app, written, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()
    assert db.session.scalar(text("SELECT amount FROM transfers")) == 5
    assert [entry.action for entry in entries()] == ["award.posted"]


def test_truncate_is_refused_on_postgresql(app, written):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text("TRUNCATE audit_log, transfers CASCADE"))
    db.session.rollback()
    assert len(entries()) == 1


def test_new_rows_are_still_written(app, written, make_user):
    resident = make_user()
    ledger.award(resident.id, 7, "audit-test-2")
    audit.record(None, "award.posted", for_user=resident, points=7)
    db.session.commit()
    assert db.session.scalar(text("SELECT count(*) FROM transfers")) == 2
    assert len(entries()) == 2
