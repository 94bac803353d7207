"""English names of venues and offerings, and why a session was cancelled

Revision ID: 0019
Revises: 0018
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    pass  # placeholder: no surprises fills this in


def downgrade():
    pass
