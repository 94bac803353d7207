"""exports

A large export runs in the background: who asked, the kind, filters and format, progress,
and where its file is kept for a week.

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
