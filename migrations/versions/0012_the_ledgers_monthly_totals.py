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


def upgrade():
    pass


def downgrade():
    pass
