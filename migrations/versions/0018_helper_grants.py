"""family helpers: grants to act for a resident

Revision ID: 0018
Revises: 0017
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    pass  # placeholder: family helpers fills this in


def downgrade():
    pass
