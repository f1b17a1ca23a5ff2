"""Write the sample server database of the current schema into tests/fixtures/.

Run once when a server schema is released (``python -m tests.server.make_sample_database``) and
commit the file: test_server_migrations upgrades every committed sample to today's schema.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

from alembic.script import ScriptDirectory

from dxdesk.server import admin
from dxdesk.server.database import _alembic_config, connect, initialise
from dxdesk.server.tables import Record, SyncClock

FIXTURES = Path(__file__).parents[1] / "fixtures"
SAMPLE_PASSWORD = "sample password"


def main() -> int:
    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    target = FIXTURES / f"server-{head}.sqlite3"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "server.sqlite3"
        database = connect(f"sqlite:///{path}")
        initialise(database)
        with database.transaction() as session:
            admin.add_user(session, name="sample", role="advisor", password=SAMPLE_PASSWORD)
            admin.assign(session, name="sample", codes=["302015"])
            session.add(
                Record(
                    id="00000000-0000-4000-8000-000000000001",
                    kind="visit",
                    scope_code="302015",
                    fields={
                        "municipality": "302015",
                        "date": "2025-06-12",
                        "title": "サンプル訪問",
                    },
                    rev=1,
                    scope_rev=1,
                    created_by="sample",
                    updated_by="sample",
                )
            )
            clock = session.get(SyncClock, 1)
            assert clock is not None
            clock.value = 1
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
