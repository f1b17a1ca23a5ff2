"""Write the sample server database of the current schema into tests/fixtures/.

Run once when a server schema is released (``python -m tests.server.make_sample_database``) and
commit the file: test_server_migrations upgrades every committed sample to today's schema. The
sample holds what a server in use holds, so that a migration rebuilding a table others refer
to meets their rows: an account with a record, a device holding its municipality, the device's
push log and the audit.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic.script import ScriptDirectory
from pydantic import JsonValue
from sqlalchemy import select

from dxdesk.server import admin
from dxdesk.server.database import _alembic_config, connect, initialise
from dxdesk.server.tables import (
    Account,
    AuditEntry,
    Device,
    DeviceScope,
    PushLog,
    Record,
    SyncClock,
)
from dxdesk.wire.protocol import ChangeResult, PushResponse

FIXTURES = Path(__file__).parents[1] / "fixtures"
SAMPLE_PASSWORD = "sample password"
SAMPLE_RECORD = "00000000-0000-4000-8000-000000000001"
SAMPLE_DEVICE = "00000000-0000-4000-8000-0000000000d1"
SAMPLE_PUSH = "00000000-0000-4000-8000-0000000000a1"
VISIT_FIELDS: dict[str, JsonValue] = {
    "municipality": "302015",
    "date": "2025-06-12",
    "title": "サンプル訪問",
}


def main(argv: list[str] | None = None) -> int:
    """Write the sample; a path given writes it there instead (to look at it first)."""
    args = sys.argv[1:] if argv is None else argv
    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    target = Path(args[0]) if args else FIXTURES / f"server-{head}.sqlite3"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "server.sqlite3"
        database = connect(f"sqlite:///{path}")
        initialise(database)
        with database.transaction() as session:
            admin.add_user(session, name="sample", role="advisor", password=SAMPLE_PASSWORD)
            admin.assign(session, name="sample", codes=["302015"])
            session.add(
                Record(
                    id=SAMPLE_RECORD,
                    kind="visit",
                    scope_code="302015",
                    fields=dict(VISIT_FIELDS),
                    rev=1,
                    scope_rev=1,
                    created_by="sample",
                    updated_by="sample",
                )
            )
            clock = session.get(SyncClock, 1)
            assert clock is not None
            clock.value = 1
            account = session.scalars(select(Account).where(Account.name == "sample")).one()
            created = datetime(2026, 11, 20, tzinfo=UTC)
            session.add(
                Device(
                    id=SAMPLE_DEVICE,
                    account_id=account.id,
                    name="sample laptop",
                    token_hash="0" * 64,  # no token: a login makes the device it uses
                    created_at=created,
                    expires_at=created + timedelta(days=180),
                    last_seen_at=created,
                )
            )
            session.flush()
            session.add(DeviceScope(device_id=SAMPLE_DEVICE, code="302015", held_rev=1))
            result = ChangeResult(
                kind="visit", id=SAMPLE_RECORD, status="applied", rev=1, fields=dict(VISIT_FIELDS)
            )
            answer = PushResponse(push_id=SAMPLE_PUSH, replayed=False, results=[result])
            session.add(
                PushLog(
                    push_id=SAMPLE_PUSH,
                    device_id=SAMPLE_DEVICE,
                    response=answer.model_dump(mode="json"),
                )
            )
            session.add(
                AuditEntry(
                    account="sample",
                    device_id=SAMPLE_DEVICE,
                    action="create",
                    kind="visit",
                    record_id=SAMPLE_RECORD,
                    fields=list(VISIT_FIELDS),
                    detail="",
                )
            )
        database.close()
        source = sqlite3.connect(path)
        target.unlink(missing_ok=True)
        dest = sqlite3.connect(target)
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
        dest.close()
        source.close()
    sys.stdout.write(f"wrote {target}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
