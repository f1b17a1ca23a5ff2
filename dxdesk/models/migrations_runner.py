"""Applying the store's Alembic migrations from inside the app (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class NewerSchemaError(Exception):
    """The store was written by a newer DX Desk than this one."""


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def upgrade_to_head(connection: Connection) -> None:
    config = alembic_config(connection)
    scripts = ScriptDirectory.from_config(config)
    current = MigrationContext.configure(connection).get_current_revision()
    if current == scripts.get_current_head():
        return  # the common case at start: skip loading every migration script
    known = {rev.revision for rev in scripts.walk_revisions()}
    if current is not None and current not in known:
        raise NewerSchemaError(current)
    command.upgrade(config, "head")
