"""the ledger's monthly totals

Per month, community, statement line and category: the points that moved in and out of
residents' balances, kept by the ledger in the same transaction as each transfer.

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


LINES = ("awarded", "deducted", "redeemed", "expired", "reversed", "adjusted", "moved")


def upgrade():
    op.create_table('monthly_totals',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.String(length=10), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('points_in', sa.BigInteger(), nullable=False),
    sa.Column('points_out', sa.BigInteger(), nullable=False),
    sa.Column('transfers', sa.Integer(), nullable=False),
    sa.CheckConstraint('line IN (' + ', '.join(f"'{line}'" for line in LINES) + ')',
                       name=op.f('ck_monthly_totals_line_known')),
    sa.CheckConstraint('points_in >= 0 AND points_out >= 0 AND transfers >= 0',
                       name=op.f('ck_monthly_totals_not_negative')),
    sa.PrimaryKeyConstraint('month', 'community_id', 'line', 'category', name=op.f('pk_monthly_totals'))
    )
    op.create_table('monthly_active',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('residents', sa.Integer(), nullable=False),
    sa.CheckConstraint('residents >= 0', name=op.f('ck_monthly_active_not_negative')),
    sa.PrimaryKeyConstraint('month', 'community_id', name=op.f('pk_monthly_active'))
    )
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.add_column(sa.Column('active_month', sa.String(length=7), nullable=True))
    # A period's transfers (exports, the board) are read through their times.
    op.create_index('ix_transfers_created_at', 'transfers', ['created_at'])
    # A ledger written before the totals were kept: fill them from its transfers, as `ledger verify`
    # recomputes them (points.ledger.verify.rebuild_totals).
    from points.ledger.verify import rebuild_totals
    rebuild_totals(op.get_bind())


def downgrade():
    op.drop_index('ix_transfers_created_at', table_name='transfers')
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.drop_column('active_month')
    op.drop_table('monthly_active')
    op.drop_table('monthly_totals')
