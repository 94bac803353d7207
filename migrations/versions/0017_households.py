"""households, their members and cards, and transfers between members

Revision ID: 0017
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    pass  # placeholder: households fills this in


def downgrade():
    pass
