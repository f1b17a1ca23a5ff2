"""Attachments between laptops through the real server over TLS (SQLite and PostgreSQL): the
bytes follow their record, byte-identical, only to those who may read it, and leave with it.

tanaka has two laptops (the office's and home's) on 和歌山市; suzuki is a colleague on 海南市
only. Files are a few MB of random bytes, so nothing dedupes or compresses them away.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from dxdesk.domain.changes import Changes
from dxdesk.models.file_store import file_store_of
from dxdesk.models.tables import AttachmentText
from dxdesk.server import admin
from dxdesk.sync.api_client import ServerRefused
from dxdesk.sync.conflicts import resolve
from dxdesk.sync.engine import SyncEngine
from dxdesk.sync.file_budget import FileBudget, set_budget
from dxdesk.sync.files import download_one, waiting_upload_count
from dxdesk.ui.sync_task import sync_telling_changes
from tests.e2e.conftest import Laptop
from tests.server.fixtures import RunningServer, add_user
from tests.store_files import stored_bytes
from tests.unit.file_samples import docx_file

WAKAYAMA, KAINAN = "302015", "302023"
MakeLaptop = Callable[[str, str], Laptop]


def _file(folder: Path, name: str, size: int = 3 * 1024 * 1024) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(os.urandom(size))
    return path


def _visit(laptop: Laptop) -> str:
    record = laptop.workspace.engagements.add(
        {"municipality": WAKAYAMA, "date": "2026-11-20", "title": "計画案の相談"}
    )
    return str(record["id"])


def _setup(server: RunningServer, laptops: Any) -> tuple[Laptop, Laptop, Laptop]:
    add_user(server.database, "tanaka", codes=(WAKAYAMA,))
    add_user(server.database, "suzuki", codes=(KAINAN,))
    office, home, suzuki = (
        laptops("tanaka", "tanaka-office"),
        laptops("tanaka", "tanaka-home"),
        laptops("suzuki", "suzuki"),
    )
    for laptop in (office, home, suzuki):
        laptop.sync()  # each knows its municipalities, as after a login
    return office, home, suzuki


def _bytes_here(laptop: Laptop, sha256: str) -> bytes | None:
    files = file_store_of(laptop.workspace.store)
    return stored_bytes(files, sha256) if files.has(sha256) else None


def _transport(laptop: Laptop) -> Any:
    return laptop.engine._transport


def test_a_file_attached_offline_arrives_byte_identical_and_the_colleague_gets_404(
    server: RunningServer, laptops: Any, tmp_path: Path
) -> None:
    office, home, suzuki = _setup(server, laptops)
    source = _file(tmp_path / "desk", "計画案 2026年度.pdf")
    visit = _visit(office)
    [attachment] = office.workspace.attachments.attach("visit", visit, [source])
    store = office.workspace.store
    assert waiting_upload_count(store) == 1  # offline: the bytes wait with the record

    summary = office.sync()
    assert (summary.pushed, summary.files_sent) == (2, 1)
    assert waiting_upload_count(store) == 0
    assert office.sync().files_sent == 0  # sent once

    summary = home.sync()
    assert summary.files_received == 1  # ahead of time: within the default budget
    [listed] = home.workspace.attachments.list_for("visit", visit)
    assert (listed["name"], listed["present"], listed["waiting"]) == (
        "計画案 2026年度.pdf",
        True,
        False,
    )
    assert _bytes_here(home, attachment["sha256"]) == source.read_bytes()
    saved = tmp_path / "saved.pdf"
    home.workspace.attachments.save_as(attachment["id"], saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == attachment["sha256"]

    # The colleague on another municipality receives neither the record nor the bytes, and
    # asking for them by id or by hash is answered as if there were nothing.
    suzuki.sync()
    assert suzuki.workspace.attachments.list_for("visit", visit) == []
    with pytest.raises(ServerRefused) as refused, _transport(suzuki).download(attachment["id"]):
        pass
    assert refused.value.status == 404
    with pytest.raises(ServerRefused) as refused:
        _transport(suzuki).upload_state(attachment["id"])
    assert refused.value.status == 404
    # A hash is no attachment's id: refused as such, nothing given.
    with pytest.raises(ServerRefused) as refused, _transport(suzuki).download(attachment["sha256"]):
        pass
    assert refused.value.status in (404, 422)


def test_a_file_outside_the_budget_comes_when_first_opened(
    server: RunningServer, laptops: Any, tmp_path: Path
) -> None:
    office, home, _ = _setup(server, laptops)
    set_budget(home.workspace.store, FileBudget(months=0, megabytes=2048))
    visit = _visit(office)
    [attachment] = office.workspace.attachments.attach(
        "visit", visit, [_file(tmp_path, "業務フロー.xlsx", 1024 * 1024)]
    )
    office.sync()
    assert home.sync().files_received == 0
    [listed] = home.workspace.attachments.list_for("visit", visit)
    assert listed["present"] is False
    seen: list[tuple[int, int]] = []
    download_one(
        home.workspace.store,
        _transport(home),
        attachment["id"],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert _bytes_here(home, attachment["sha256"]) == _bytes_here(office, attachment["sha256"])
    assert seen[-1] == (attachment["size"], attachment["size"])
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_budget_takes_the_newest_files_first_within_its_size(
    server: RunningServer, laptops: Any, tmp_path: Path
) -> None:
    office, home, _ = _setup(server, laptops)
    visit = _visit(office)
    older = office.workspace.attachments.attach("visit", visit, [_file(tmp_path, "a.pdf")])
    office.sync()
    newer = office.workspace.attachments.attach("visit", visit, [_file(tmp_path, "b.pdf")])
    office.sync()
    set_budget(home.workspace.store, FileBudget(months=12, megabytes=4))  # room for one
    assert home.sync().files_received == 1
    assert _bytes_here(home, newer[0]["sha256"]) is not None
    assert _bytes_here(home, older[0]["sha256"]) is None


def test_a_delete_on_one_laptop_removes_the_file_on_the_other(
    server: RunningServer, laptops: Any, tmp_path: Path
) -> None:
    office, home, _ = _setup(server, laptops)
    visit = _visit(office)
    [attachment] = office.workspace.attachments.attach("visit", visit, [_file(tmp_path, "x.png")])
    office.sync(), home.sync()
    assert _bytes_here(home, attachment["sha256"]) is not None

    office.workspace.attachments.delete(attachment["id"])
    assert office.sync().conflicts == 0
    assert _bytes_here(office, attachment["sha256"]) is None  # sent, so it may go
    home.sync()
    assert home.workspace.attachments.list_for("visit", visit) == []
    assert _bytes_here(home, attachment["sha256"]) is None


def test_an_evicted_municipality_takes_its_files_once_nothing_of_it_waits(
    server: RunningServer, laptops: Any, tmp_path: Path
) -> None:
    office, home, _ = _setup(server, laptops)
    visit = _visit(office)
    [sent] = office.workspace.attachments.attach("visit", visit, [_file(tmp_path, "1.pdf")])
    office.sync(), home.sync()
    assert _bytes_here(home, sent["sha256"]) is not None
    # home attaches one more, offline; then 和歌山市 is taken off tanaka.
    [unsent] = home.workspace.attachments.attach("visit", visit, [_file(tmp_path, "2.pdf")])
    with server.database.transaction() as session:
        admin.unassign(session, name="tanaka", codes=[WAKAYAMA])

    # A new record there is refused: kept and shown, with the files, until the person decides.
    summary = home.sync()
    assert (summary.kept, summary.evicted, summary.conflicts) == ([WAKAYAMA], [], 1)
    [refused] = home.conflicts()
    assert (refused.kind, refused.record_id, refused.reason) == (
        "attachment",
        unsent["id"],
        "refused",
    )
    files = file_store_of(home.workspace.store)
    assert set(files.stored()) == {sent["sha256"], unsent["sha256"]}

    resolve(home.workspace.store, refused.id, take="theirs")  # 送らずに取り下げる
    summary = home.sync()
    assert summary.evicted == [WAKAYAMA]
    assert list(files.stored()) == []
    assert home.workspace.attachments.list_for("visit", visit) == []
    assert waiting_upload_count(home.workspace.store) == 0
    assert office.sync().evicted == [WAKAYAMA]
    assert list(file_store_of(office.workspace.store).stored()) == []


def test_a_file_of_a_knowledge_article_reaches_a_colleague(
    server: RunningServer, laptops: Any, tmp_path: Path
) -> None:
    office, _, suzuki = _setup(server, laptops)
    article = office.workspace.articles.add({"title": "書かない窓口の始め方"})
    [attachment] = office.workspace.attachments.attach(
        "article", str(article["id"]), [_file(tmp_path, "手順書.docx", 512 * 1024)]
    )
    assert attachment["municipality"] is None  # prefecture-wide, as its article
    office.sync()
    assert suzuki.sync().files_received == 1
    assert _bytes_here(suzuki, attachment["sha256"]) == _bytes_here(office, attachment["sha256"])


def test_the_window_is_told_of_the_records_before_any_file_moves(
    server: RunningServer, laptops: Any, tmp_path: Path
) -> None:
    office, home, _ = _setup(server, laptops)
    visit = _visit(office)
    [attachment] = office.workspace.attachments.attach("visit", visit, [_file(tmp_path, "a.pdf")])
    office.sync()
    told: list[tuple[Changes, bool]] = []

    def tell(changes: Changes) -> None:
        told.append((changes, _bytes_here(home, attachment["sha256"]) is not None))

    summary = sync_telling_changes(home.workspace, tell, home.sync)
    assert summary.files_received == 1
    (records, file_here), *after = told
    assert records.touches("visit", "attachment") and not file_here
    # Then (the window's part, ui/sync_task.py) at most that attachments' files came.
    assert all(changes.kinds == {"attachment"} and here for changes, here in after)


def test_the_sync_reads_the_text_of_files_received_unless_told_not_to(
    server: RunningServer, laptops: Any, tmp_path: Path
) -> None:
    """The command line's sync reads the text of what it received for search; the window's
    leaves it to its search indexer (SyncEngine's extract_text)."""
    office, home, _ = _setup(server, laptops)
    article = office.workspace.articles.add({"title": "書かない窓口の始め方"})
    notes = tmp_path / "議事録.docx"
    docx_file(notes, ["書かない窓口の申請書を減らす"])
    office.workspace.attachments.attach("article", str(article["id"]), [notes])
    office.sync()
    window_like = SyncEngine(home.workspace.store, _transport(home), extract_text=False)
    assert window_like.sync().files_received == 1
    assert _texts(home) == []
    home.sync()  # the command line's
    assert _texts(home) == ["書かない窓口の申請書を減らす"]


def _texts(laptop: Laptop) -> list[str]:
    with laptop.workspace.store.session() as session:
        return [text.strip() for text in session.scalars(select(AttachmentText.text))]
