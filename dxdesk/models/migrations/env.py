"""Alembic environment: always run on a connection the store hands over."""

from __future__ import annotations

from alembic import context

# Registers the tables on the metadata (the outbox module brings its own two).
from dxdesk.models import outbox, tables  # noqa: F401
from dxdesk.models.base import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
