"""service records

A resident's service record (志愿服务记录证明): its period and totals as made, and the
unguessable code anyone can check at /verify/<code>.

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
