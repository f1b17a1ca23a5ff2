"""the whole survey: the definition of a fiscal year's survey, and each municipality's answers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

Two record kinds that sync like any other: ``survey_definition`` (prefecture-wide; loaded by a
coordinator) and ``survey_response`` (one municipality's answers to a year's survey, every
question, with the file they came from).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
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


def upgrade() -> None:
    op.create_table(
        "survey_definition",
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("prefecture", sa.String(length=500), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("source_name", sa.String(length=500), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=True),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_definition")),
    )
    with op.batch_alter_table("survey_definition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_definition_deleted"), ["deleted"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_survey_definition_fiscal_year"), ["fiscal_year"], unique=False
        )
    op.create_table(
        "survey_response",
        sa.Column("municipality", sa.String(length=6), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("definition", sa.String(length=36), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("respondent", sa.String(length=500), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("imported_on", sa.Date(), nullable=True),
        sa.Column("source_name", sa.String(length=500), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["municipality"],
            ["municipality.code"],
            name=op.f("fk_survey_response_municipality_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_response")),
    )
    with op.batch_alter_table("survey_response", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_response_deleted"), ["deleted"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_survey_response_municipality"), ["municipality"], unique=False
        )
        batch_op.create_index(
            "ix_survey_response_municipality_year", ["municipality", "fiscal_year"], unique=False
        )


def downgrade() -> None:
    op.drop_table("survey_response")
    op.drop_table("survey_definition")
