"""Search finds a word inside an attached PDF, and opening the hit opens the visit; the text is
read on a thread of its own after the attach, while the store's worker stays free for typing."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dxdesk.models.tables import AttachmentText
from dxdesk.services.workspace import Workspace
from dxdesk.ui.runner import StoreRunner
from dxdesk.ui.search_dialog import ID_ROLE, KIND_ROLE, SearchDialog
from dxdesk.ui.search_indexer import SearchIndexer
from tests.gui.keys import type_text
from tests.unit.file_samples import blank_runs, pdf_file, raw_pdf
from tests.unit.models.attaching import attach

SHIRAHAMA = "304018"
WORD = "書かない窓口"


@pytest.fixture
def runner(workspace: Workspace) -> Iterator[StoreRunner]:
    # Qt objects earlier tests left for the garbage collector are collected here, on the UI
    # thread: the file-reading thread allocates a lot, and a collection it set off would
    # destroy them there, which Qt does not survive.
    gc.collect()
    store_runner = StoreRunner(collect=workspace.collect_changes)
    yield store_runner
    store_runner.wait_idle()
    store_runner.shutdown()


@pytest.fixture
def indexer(workspace: Workspace, runner: StoreRunner) -> Iterator[SearchIndexer]:
    worker = SearchIndexer(workspace.store, runner)
    yield worker
    worker.stop()
    # Its last answers are delivered while it lives (the window's indexer lives as long as
    # the window; this one would otherwise die with events still queued for it).
    runner.wait_idle()
    QCoreApplication.processEvents()
    shiboken6.delete(worker)


def _visit(ws: Workspace) -> str:
    payload = {"municipality": SHIRAHAMA, "date": "2025-06-12", "title": "窓口BPRの相談"}
    return str(ws.engagements.add(payload)["id"])


def _plan(tmp_path: Path) -> Path:
    return pdf_file(tmp_path / "白浜町_計画案.pdf", [f"窓口改革計画案\n{WORD}を導入する"])


def _texts(ws: Workspace) -> list[str]:
    with ws.store.session() as session:
        return list(session.scalars(select(AttachmentText.text)))


def test_a_word_inside_an_attached_pdf_finds_the_visit_and_opens_it(
    qtbot: QtBot,
    workspace: Workspace,
    runner: StoreRunner,
    indexer: SearchIndexer,
    tmp_path: Path,
) -> None:
    visit = _visit(workspace)
    plan = _plan(tmp_path)
    # Attached as the window does it, on the store's worker: the change notice names an
    # attachment, and the indexer reads the new file's text without being asked.
    with qtbot.waitSignal(runner.changed):
        runner.run(lambda: attach(workspace, "visit", visit, plan))
    qtbot.waitUntil(lambda: any(WORD in text for text in _texts(workspace)), timeout=10000)
    qtbot.waitUntil(lambda: not indexer.reading(), timeout=10000)

    names = [(SHIRAHAMA, "白浜町")]
    dialog = SearchDialog(workspace, runner, names)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_text(dialog.query_edit, WORD)
    qtbot.waitUntil(lambda: not dialog.pending(), timeout=5000)
    assert dialog.results.count() == 1
    item = dialog.results.item(0)
    assert (item.data(KIND_ROLE), item.data(ID_ROLE)) == ("visit", visit)
    first_line, snippet = item.text().split("\n")
    assert first_line == "添付ファイル · 白浜町　白浜町_計画案.pdf　相談記録「窓口BPRの相談」に添付"
    assert WORD in snippet
    with qtbot.waitSignal(dialog.open_requested) as opened:
        QTest.keyClick(dialog.query_edit, Qt.Key.Key_Return)
    assert opened.args == ["visit", visit]


def test_reading_files_leaves_the_store_worker_free(
    qtbot: QtBot,
    workspace: Workspace,
    runner: StoreRunner,
    indexer: SearchIndexer,
    tmp_path: Path,
) -> None:
    attach(workspace, "visit", _visit(workspace), _plan(tmp_path))
    release = threading.Event()
    busy = runner.run(lambda: release.wait(30))  # the store's worker is held
    try:
        indexer.read_texts()
        # Were the text read on the store's worker, it would wait for the release.
        qtbot.waitUntil(lambda: not indexer.reading(), timeout=10000)
        assert not busy.done()
        assert any(WORD in text for text in _texts(workspace))
    finally:
        release.set()
    qtbot.waitUntil(busy.done)


def test_closing_does_not_wait_for_a_slow_page(
    qtbot: QtBot, workspace: Workspace, indexer: SearchIndexer, tmp_path: Path
) -> None:
    # Each page takes about two seconds to parse and cannot be stopped inside; closing waits
    # briefly for it, and the reading thread then leaves without writing.
    slow = raw_pdf(tmp_path / "図面.pdf", [blank_runs(1.9)], [0] * 10)
    attach(workspace, "visit", _visit(workspace), slow)
    indexer.read_texts()
    qtbot.wait(200)  # into the first page
    started = time.monotonic()
    indexer.stop()
    assert time.monotonic() - started < 1.5  # generous: STOP_WAIT, not a page
    qtbot.waitUntil(
        lambda: not any(t.name.startswith("dxdesk-file-text") for t in threading.enumerate()),
        timeout=20000,
    )
    assert _texts(workspace) == []  # stopped: read again at the next start, not kept as ""
