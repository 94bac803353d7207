"""care mode remembered per account

Revision ID: 0016
Revises: 0015
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    # server_default: every existing account starts in the normal look.
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('care_mode', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_column('care_mode')
