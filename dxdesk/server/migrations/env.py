"""Alembic environment: always run on a connection the server hands over (database.migrate).

On SQLite, migrate runs migrations with foreign keys off (a rebuilt table is dropped and
renamed, which they would refuse), so every reference is checked here before the migration
commits: one left broken undoes the migration and says where.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from dxdesk.server.database import DatabaseError
from dxdesk.server.tables import ServerBase


def _broken_references(connection: Connection) -> list[str]:
    return [
        f"{table} の行 {rowid} が参照する {parent} の行がありません"
        for table, rowid, parent, _ in connection.exec_driver_sql("PRAGMA foreign_key_check")
    ]


connection: Connection = context.config.attributes["connection"]
sqlite = connection.dialect.name == "sqlite"
context.configure(
    connection=connection,
    target_metadata=ServerBase.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
    if sqlite and (broken := _broken_references(connection)):
        raise DatabaseError(
            "移行後の外部キー検査で参照の切れた行が見つかったため、移行を取り消しました: "
            + "、".join(broken[:10])
            + (f" ほか {len(broken) - 10} 行" if len(broken) > 10 else "")
        )
