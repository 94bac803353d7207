"""venues get an English name (empty: English readers see the Chinese one)

Revision ID: 0020
Revises: 0019
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('venues') as batch:
        batch.add_column(sa.Column('name_en', sa.String(length=100), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('venues') as batch:
        batch.drop_column('name_en')
