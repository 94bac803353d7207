"""the opening-balances system account

Opening balances brought in from paper cards come from a system account of their own (id 0, the one
id no sequence has handed out), so they are told apart from awards yet count in the earned total.

Revision ID: 0008
Revises: 0007
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

KINDS = "'resident', 'issuance', 'venue', 'deduction', 'expiry'"
IDS = "CASE kind WHEN 'issuance' THEN 1 WHEN 'deduction' THEN 2 WHEN 'expiry' THEN 3{} END"
OPENING = " WHEN 'opening' THEN 0"


def upgrade():
    _rules(KINDS + ", 'opening'", IDS.format(OPENING))
    accounts = sa.table(
        "accounts", sa.column("id", sa.Integer), sa.column("kind", sa.String),
        sa.column("available", sa.Integer), sa.column("held", sa.Integer),
        sa.column("earned_total", sa.Integer), sa.column("created_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(accounts, [{"id": 0, "kind": "opening", "available": 0, "held": 0, "earned_total": 0,
                               "created_at": datetime.now(UTC)}])


def downgrade():
    # Refused by the foreign keys once an opening balance was written: history is not dropped.
    op.execute("DELETE FROM accounts WHERE id = 0")
    _rules(KINDS, IDS.format(""))


def _rules(kinds, ids):
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_accounts_account_kind'), type_='check')
        batch_op.drop_constraint(op.f('ck_accounts_system_ids_fixed'), type_='check')
        batch_op.create_check_constraint(op.f('ck_accounts_account_kind'), f"kind IN ({kinds})")
        batch_op.create_check_constraint(
            op.f('ck_accounts_system_ids_fixed'), f"kind IN ('resident', 'venue') OR id = {ids}")
