"""year-end expiry runs

One clearing of a period (a year) under the expiry policy: asked for by one admin, run when a
second, different admin approves (or at once by `flask ledger expire`), with what it took. A period
has at most one run waiting or done, which the database keeps.

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

LIVE = sa.text("status IN ('requested', 'done')")


def upgrade():
    op.create_table('expiry_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('policy', sa.String(length=20), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('requested', 'done', 'refused', name='expiry_run_status', native_enum=False,
                                create_constraint=True, length=20), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('residents', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('refusal_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("policy IN ('year_end', 'year_end_next')", name=op.f('ck_expiry_runs_policy_expires')),
    sa.CheckConstraint('decided_by IS NULL OR requested_by IS NULL OR decided_by <> requested_by',
                       name=op.f('ck_expiry_runs_four_eyes')),
    sa.CheckConstraint('residents >= 0 AND points >= 0', name=op.f('ck_expiry_runs_totals_not_negative')),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_expiry_runs_requested_by_users')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_expiry_runs_decided_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expiry_runs'))
    )
    op.create_index('uq_expiry_runs_one_live_per_period', 'expiry_runs', ['period'], unique=True,
                    sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade():
    op.drop_index('uq_expiry_runs_one_live_per_period', table_name='expiry_runs',
                  sqlite_where=LIVE, postgresql_where=LIVE)
    op.drop_table('expiry_runs')
