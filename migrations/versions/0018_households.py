"""households (一户一卡): members under a head, household cards, points passed between members

The 户号 an import brought in (`users.household`, text) becomes a household of the resident's
community, with the first person of that number as its head; the text column goes. A member's key
runs over (household, community), so a member always lives in the household's community. Cards may
name a household instead of a person. Transfers gain the kind `transfer`; on SQLite that copies the
transfers table, which drops its append-only triggers, so they are made again here.

Revision ID: 0018
Revises: 0017
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

KINDS = "'award', 'deduction', 'hold', 'redemption', 'release', 'reversal', 'expiry', 'adjustment'"
LIVE = sa.text('revoked_at IS NULL')


def upgrade():
    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_households_community_id_communities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households')),
    sa.UniqueConstraint('community_id', 'number', name=op.f('uq_households_community_id_number')),
    sa.UniqueConstraint('id', 'community_id', name=op.f('uq_households_id_community_id')),
    )
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('household_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('heads_household', sa.Boolean(), nullable=False, server_default=sa.false()))
    _households_from_numbers()
    with op.batch_alter_table('users') as batch:
        batch.drop_column('household')
        batch.create_index('ix_users_household_id', ['household_id'], unique=False)
        batch.create_index('uq_users_one_head', ['household_id'], unique=True,
                           sqlite_where=sa.text('heads_household'), postgresql_where=sa.text('heads_household'))
        batch.create_foreign_key(op.f('fk_users_household_id_households'), 'households',
                                 ['household_id', 'community_id'], ['id', 'community_id'])
        batch.create_check_constraint(op.f('ck_users_head_is_a_member'),
                                      'NOT heads_household OR household_id IS NOT NULL')
    with op.batch_alter_table('member_cards') as batch:
        batch.add_column(sa.Column('household_id', sa.Integer(), nullable=True))
        batch.alter_column('user_id', existing_type=sa.Integer(), nullable=True)
        batch.create_foreign_key(op.f('fk_member_cards_household_id_households'), 'households',
                                 ['household_id'], ['id'])
        batch.create_check_constraint(op.f('ck_member_cards_one_holder'),
                                      '(user_id IS NULL) <> (household_id IS NULL)')
        batch.create_index('uq_member_cards_one_live_household', ['household_id'], unique=True,
                           sqlite_where=LIVE, postgresql_where=LIVE)
    _transfer_kinds(KINDS + ", 'transfer'")


def downgrade():
    _transfer_kinds(KINDS)  # refused once a transfer of kind 'transfer' was written: history stays
    with op.batch_alter_table('member_cards') as batch:
        batch.drop_index('uq_member_cards_one_live_household')
        batch.drop_constraint(op.f('ck_member_cards_one_holder'), type_='check')
        batch.drop_constraint(op.f('fk_member_cards_household_id_households'), type_='foreignkey')
        batch.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch.drop_column('household_id')
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('household', sa.String(length=30), nullable=True))
    op.execute('UPDATE users SET household = (SELECT number FROM households WHERE households.id = users.household_id)')
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint(op.f('ck_users_head_is_a_member'), type_='check')
        batch.drop_constraint(op.f('fk_users_household_id_households'), type_='foreignkey')
        batch.drop_index('uq_users_one_head')
        batch.drop_index('ix_users_household_id')
        batch.drop_column('heads_household')
        batch.drop_column('household_id')
    op.drop_table('households')


def _households_from_numbers():
    """One household per (community, 户号) among the residents; its first resident heads it. The
    import, the only writer of the number, always gave the resident a community."""
    op.execute('INSERT INTO households (community_id, number, created_at) '
               'SELECT community_id, household, MIN(created_at) FROM users '
               'WHERE household IS NOT NULL AND community_id IS NOT NULL GROUP BY community_id, household')
    op.execute('UPDATE users SET household_id = (SELECT h.id FROM households h WHERE '
               'h.community_id = users.community_id AND h.number = users.household) '
               'WHERE household IS NOT NULL AND community_id IS NOT NULL')
    op.execute(sa.text('UPDATE users SET heads_household = :yes WHERE id IN '
                       '(SELECT MIN(id) FROM users WHERE household_id IS NOT NULL GROUP BY household_id)')
               .bindparams(yes=True))


def _transfer_kinds(kinds):
    with op.batch_alter_table('transfers') as batch:
        batch.drop_constraint(op.f('ck_transfers_transfer_kind'), type_='check')
        batch.create_check_constraint(op.f('ck_transfers_transfer_kind'), f'kind IN ({kinds})')
    if op.get_bind().dialect.name == 'sqlite':  # the copied table lost its triggers (see 0005)
        for change in ('update', 'delete'):
            op.execute(f'DROP TRIGGER IF EXISTS transfers_no_{change}')
            op.execute(f'CREATE TRIGGER transfers_no_{change} BEFORE {change.upper()} ON transfers '
                       f"BEGIN SELECT RAISE(ABORT, 'transfers is append-only: {change.upper()} refused'); END")
