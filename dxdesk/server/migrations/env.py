"""Alembic environment: always run on a connection the server hands over."""

from __future__ import annotations

from alembic import context

from dxdesk.server.tables import ServerBase

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=ServerBase.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
