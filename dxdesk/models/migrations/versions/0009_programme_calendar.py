"""the programme's calendar: planned, held and cancelled; times and places; attendance;
each municipality's cadence; the year's plan; the advisors assigned to a municipality

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Consultations and events gain ``status`` (records kept before are held), start and end times,
a place; a consultation names its national scheme, an event its mode and attendance, and a
follow-up the event it came from. Two record kinds that sync like any other: ``cadence`` (a
municipality's) and ``programme_plan`` (prefecture-wide; set by a coordinator). A municipality
keeps the advisors the server assigns it to.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _record_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("server_rev", sa.Integer(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
    ]


def _times_and_place() -> list[sa.Column[object]]:
    return [
        sa.Column("status", sa.String(length=20), nullable=False, server_default="held"),
        sa.Column("start_time", sa.String(length=5), nullable=True),
        sa.Column("end_time", sa.String(length=5), nullable=True),
        sa.Column("place", sa.String(length=500), nullable=False, server_default=""),
    ]


def upgrade() -> None:
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.add_column(sa.Column("advisors", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        for column in _times_and_place():
            batch_op.add_column(column)
        batch_op.add_column(sa.Column("scheme", sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f("ix_engagement_status"), ["status"], unique=False)
    with op.batch_alter_table("group_event", schema=None) as batch_op:
        for column in _times_and_place():
            batch_op.add_column(column)
        batch_op.add_column(
            sa.Column("mode", sa.String(length=20), nullable=False, server_default="in_person")
        )
        batch_op.add_column(sa.Column("attendance", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event", sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f("ix_follow_up_event"), ["event"], unique=False)
    op.create_table(
        "cadence",
        sa.Column("municipality", sa.String(length=6), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["municipality"],
            ["municipality.code"],
            name=op.f("fk_cadence_municipality_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadence")),
    )
    with op.batch_alter_table("cadence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cadence_deleted"), ["deleted"], unique=False)
        batch_op.create_index(batch_op.f("ix_cadence_municipality"), ["municipality"], unique=False)
    op.create_table(
        "programme_plan",
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_plan")),
    )
    with op.batch_alter_table("programme_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_plan_deleted"), ["deleted"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_programme_plan_fiscal_year"), ["fiscal_year"], unique=False
        )


def _drop_columns(table: str, names: Sequence[str]) -> None:
    # Dropped in place (SQLite 3.35+): a batch copy of the table would trip over the search
    # triggers that name it.
    for name in names:
        op.execute(sa.text(f'ALTER TABLE "{table}" DROP COLUMN "{name}"'))


def downgrade() -> None:
    op.drop_table("programme_plan")
    op.drop_table("cadence")
    op.drop_index("ix_follow_up_event", table_name="follow_up")
    _drop_columns("follow_up", ["event"])
    _drop_columns(
        "group_event", ["attendance", "mode", "place", "end_time", "start_time", "status"]
    )
    op.drop_index("ix_engagement_status", table_name="engagement")
    _drop_columns("engagement", ["scheme", "place", "end_time", "start_time", "status"])
    _drop_columns("municipality", ["advisors"])
