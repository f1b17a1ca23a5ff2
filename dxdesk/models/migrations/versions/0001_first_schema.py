"""first schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22 04:43:47.752195
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "group_event",
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("region", sa.String(length=50), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("server_rev", sa.Integer(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_event")),
    )
    with op.batch_alter_table("group_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_event_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_event_deleted"), ["deleted"], unique=False)

    op.create_table(
        "municipality",
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("kana", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("gun", sa.String(length=50), nullable=True),
        sa.Column("region", sa.String(length=50), nullable=False),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("assigned", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_municipality")),
    )
    op.create_table(
        "pending_change",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_pending_change")),
        sa.UniqueConstraint("kind", "record_id", "field", name=op.f("uq_pending_change_kind")),
    )
    with op.batch_alter_table("pending_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pending_change_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "record_base",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("server_rev", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "record_id", name=op.f("pk_record_base")),
    )
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_store_meta")),
    )
    op.create_table(
        "assessment",
        sa.Column("municipality", sa.String(length=6), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=True),
        sa.Column("assessor", sa.String(length=500), nullable=False),
        sa.Column("catalog_version", sa.String(length=40), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("level_reason", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("server_rev", sa.Integer(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality"],
            ["municipality.code"],
            name=op.f("fk_assessment_municipality_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_deleted"), ["deleted"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assessment_municipality"), ["municipality"], unique=False
        )
        batch_op.create_index(
            "ix_assessment_municipality_year", ["municipality", "fiscal_year"], unique=False
        )

    op.create_table(
        "contact",
        sa.Column("municipality", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("kana", sa.String(length=500), nullable=False),
        sa.Column("department", sa.String(length=500), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("email", sa.String(length=500), nullable=False),
        sa.Column("phone", sa.String(length=500), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("server_rev", sa.Integer(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality"],
            ["municipality.code"],
            name=op.f("fk_contact_municipality_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_deleted"), ["deleted"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_municipality"), ["municipality"], unique=False)

    op.create_table(
        "engagement",
        sa.Column("municipality", sa.String(length=6), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("municipal_attendees", sa.JSON(), nullable=False),
        sa.Column("advisor_attendees", sa.JSON(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("server_rev", sa.Integer(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality"],
            ["municipality.code"],
            name=op.f("fk_engagement_municipality_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement")),
    )
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_engagement_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_engagement_deleted"), ["deleted"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_engagement_municipality"), ["municipality"], unique=False
        )

    op.create_table(
        "knowledge_article",
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("municipality", sa.String(length=6), nullable=True),
        sa.Column("person", sa.String(length=500), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("server_rev", sa.Integer(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality"],
            ["municipality.code"],
            name=op.f("fk_knowledge_article_municipality_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_article")),
    )
    with op.batch_alter_table("knowledge_article", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_knowledge_article_deleted"), ["deleted"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_knowledge_article_municipality"), ["municipality"], unique=False
        )

    op.create_table(
        "follow_up",
        sa.Column("municipality", sa.String(length=6), nullable=False),
        sa.Column("engagement", sa.String(length=36), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("owner", sa.String(length=500), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("server_rev", sa.Integer(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement"], ["engagement.id"], name=op.f("fk_follow_up_engagement_engagement")
        ),
        sa.ForeignKeyConstraint(
            ["municipality"],
            ["municipality.code"],
            name=op.f("fk_follow_up_municipality_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_deleted"), ["deleted"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_due"), ["due"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_engagement"), ["engagement"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_follow_up_municipality"), ["municipality"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_follow_up_status"), ["status"], unique=False)

    op.create_table(
        "interview_note",
        sa.Column("engagement", sa.String(length=36), nullable=False),
        sa.Column("municipality", sa.String(length=6), nullable=False),
        sa.Column("interviewee", sa.String(length=500), nullable=False),
        sa.Column("role", sa.String(length=500), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("server_rev", sa.Integer(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement"], ["engagement.id"], name=op.f("fk_interview_note_engagement_engagement")
        ),
        sa.ForeignKeyConstraint(
            ["municipality"],
            ["municipality.code"],
            name=op.f("fk_interview_note_municipality_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_note")),
    )
    with op.batch_alter_table("interview_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interview_note_deleted"), ["deleted"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_interview_note_engagement"), ["engagement"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interview_note_municipality"), ["municipality"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("interview_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_note_municipality"))
        batch_op.drop_index(batch_op.f("ix_interview_note_engagement"))
        batch_op.drop_index(batch_op.f("ix_interview_note_deleted"))

    op.drop_table("interview_note")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_status"))
        batch_op.drop_index(batch_op.f("ix_follow_up_municipality"))
        batch_op.drop_index(batch_op.f("ix_follow_up_engagement"))
        batch_op.drop_index(batch_op.f("ix_follow_up_due"))
        batch_op.drop_index(batch_op.f("ix_follow_up_deleted"))

    op.drop_table("follow_up")
    with op.batch_alter_table("knowledge_article", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_knowledge_article_municipality"))
        batch_op.drop_index(batch_op.f("ix_knowledge_article_deleted"))

    op.drop_table("knowledge_article")
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_engagement_municipality"))
        batch_op.drop_index(batch_op.f("ix_engagement_deleted"))
        batch_op.drop_index(batch_op.f("ix_engagement_date"))

    op.drop_table("engagement")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_municipality"))
        batch_op.drop_index(batch_op.f("ix_contact_deleted"))

    op.drop_table("contact")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_municipality_year")
        batch_op.drop_index(batch_op.f("ix_assessment_municipality"))
        batch_op.drop_index(batch_op.f("ix_assessment_deleted"))

    op.drop_table("assessment")
    op.drop_table("store_meta")
    op.drop_table("record_base")
    with op.batch_alter_table("pending_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_change_record_id"))

    op.drop_table("pending_change")
    op.drop_table("municipality")
    with op.batch_alter_table("group_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_event_deleted"))
        batch_op.drop_index(batch_op.f("ix_group_event_date"))

    op.drop_table("group_event")
