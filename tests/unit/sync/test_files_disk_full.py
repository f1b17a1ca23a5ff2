"""Fetching ahead onto a full disk (a real one: a 1 MB tmpfs mounted over the data folder's
files/, in a user and mount namespace of its own): the sync goes on, the summary says why no
file came, and nothing half-received is left to fill the disk. The server's answer is an
httpx.MockTransport (the real server's downloads are in tests/e2e/test_attachments*.py)."""

from __future__ import annotations

import json
import os
import shutil
import textwrap
from pathlib import Path

from sqlalchemy import delete, update

from dxdesk.models.tables import AttachmentRow, AttachmentUpload
from dxdesk.services.workspace import open_workspace
from tests.small_disk import run_on_small_disk

_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    import httpx
    from dxdesk.services.workspace import open_workspace
    from dxdesk.sync.api_client import SyncApiClient
    from dxdesk.sync.files import download_ahead
    from dxdesk.sync.summary import SyncSummary
    data_dir, payload = Path(sys.argv[1]), Path(sys.argv[2]).read_bytes()

    def handler(request):
        return httpx.Response(200, content=payload)

    transport = httpx.MockTransport(handler)
    client = httpx.Client(base_url="https://dx.example.jp", transport=transport)
    workspace = open_workspace(data_dir)
    summary = SyncSummary()
    try:
        download_ahead(workspace.store, SyncApiClient(client, token="t"), summary)
    finally:
        workspace.close()
    files = data_dir / "files"
    left = [p.name for p in files.rglob("*") if p.is_file() and p.suffix != ".lock"]
    print(json.dumps({**summary.as_json(), "failed": summary.files_failed, "left": left}))
    """
)


def test_a_full_disk_stops_fetching_ahead_and_says_so(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    workspace = open_workspace(data_dir)
    try:
        visit = workspace.engagements.add({"municipality": "302015", "date": "2026-11-20"})
        source = tmp_path / "大きな資料.pdf"
        source.write_bytes(os.urandom(3 << 20))
        workspace.attachments.attach("visit", str(visit["id"]), [source])
        with workspace.store.transaction() as session:  # as pulled from the server
            session.execute(delete(AttachmentUpload))
            session.execute(update(AttachmentRow).values(server_rev=1))
    finally:
        workspace.close()
    shutil.rmtree(data_dir / "files")
    (data_dir / "files").mkdir()
    script = tmp_path / "ahead.py"
    script.write_text(_SCRIPT, encoding="utf-8")
    done = run_on_small_disk(data_dir / "files", "1m", script, data_dir, source)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert "ディスクの空きが足りない" in result["files_problem"]
    assert (result["files_received"], result["failed"]) == (0, 1)
    assert result["left"] == []  # what came before the disk filled is dropped
