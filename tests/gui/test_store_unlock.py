"""The window's start on an encrypted store (issue 23): where no keychain holds the store's key,
the passphrase is chosen (typed twice) for a new data folder and asked at each start, a wrong
one said in the dialog; Cancel opens nothing and changes nothing. An old plaintext store is
encrypted with a progress dialog, whose キャンセル leaves it plaintext and whole."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from dxdesk.models import store_cipher, store_key
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.services.workspace import Workspace
from dxdesk.ui.app import _open
from dxdesk.ui.store_passphrase_dialog import StorePassphraseDialog

FIXTURE = Path(__file__).parent.parent / "fixtures" / "store-0010.sqlite3"
PASSPHRASE = "紀の川の流れ2026"
Act = Callable[[QWidget], None]


def _when(condition: Callable[[], bool], act: Callable[[], None]) -> None:
    """``act`` once ``condition`` holds, checked from the event loop (a modal loop's too)."""

    def poll() -> None:
        if condition():
            act()
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def _shown(kind: type[QWidget]) -> QWidget | None:
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return shown[0] if shown else None


def _when_shown(kind: type[QWidget], act: Act) -> None:
    def run() -> None:
        widget = _shown(kind)
        assert widget is not None
        act(widget)

    _when(lambda: _shown(kind) is not None, run)


def _dialog(widget: QWidget) -> StorePassphraseDialog:
    assert isinstance(widget, StorePassphraseDialog)
    return widget


def _type(dialog: StorePassphraseDialog, first: str, second: str | None = None) -> None:
    dialog.first.setText(first)
    if second is not None:
        dialog.second.setText(second)
    dialog.ok.click()


def _open_workspace(data: Path) -> Workspace:
    workspace, restored = _open(data, smoke=False)
    assert workspace is not None and restored is None
    return workspace


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def test_a_passphrase_is_chosen_then_asked_at_each_start(
    qtbot: QtBot, tmp_path: Path, no_keychain: None
) -> None:
    data = tmp_path / "data"
    said: list[str] = []

    def choose(widget: QWidget) -> None:
        dialog = _dialog(widget)
        assert dialog.second.isVisible()
        assert "キーチェーンがない" in dialog.explanation.text()
        _type(dialog, PASSPHRASE, PASSPHRASE + "x")
        said.append(dialog.problem.text())
        _type(dialog, "短い", "短い")
        said.append(dialog.problem.text())
        assert dialog.isVisible()
        _type(dialog, PASSPHRASE, PASSPHRASE)

    _when_shown(StorePassphraseDialog, choose)
    workspace = _open_workspace(data)
    try:
        workspace.engagements.add({"municipality": "302015", "date": "2025-06-12", "title": "訪問"})
    finally:
        workspace.close()
    assert said == ["2つの合言葉が一致しません", "合言葉は 8 文字以上にしてください"]
    assert "wraps" in json.loads(store_key.key_file(data).read_text())
    assert not store_cipher.is_plaintext(data / DATABASE_NAME)

    # A new start: the passphrase is asked (once); a wrong one is said and the dialog stays.
    store_key.forget_in_memory(data)
    problems: list[str] = []

    def right(dialog: StorePassphraseDialog) -> None:
        problems.append(dialog.problem.text())
        assert dialog.isVisible() and dialog.first.text() == ""
        _type(dialog, PASSPHRASE)

    def wrong(widget: QWidget) -> None:
        dialog = _dialog(widget)
        assert not dialog.second.isVisible()
        _type(dialog, "違う合言葉ですよ")
        _when(dialog.problem.isVisible, lambda: right(dialog))

    _when_shown(StorePassphraseDialog, wrong)
    workspace = _open_workspace(data)
    try:
        assert [r["title"] for r in workspace.engagements.list_records()] == ["訪問"]
    finally:
        workspace.close()
    assert problems == [store_key.WRONG_MESSAGE]


def _cancel(widget: QWidget) -> None:
    _dialog(widget).cancel.click()


def test_cancel_opens_nothing_and_changes_nothing(
    qtbot: QtBot, tmp_path: Path, no_keychain: None
) -> None:
    # A new data folder: no key, no store is made.
    data = tmp_path / "data"
    _when_shown(StorePassphraseDialog, _cancel)
    assert _open(data, smoke=False) == (None, None)
    assert not store_key.has_key(data)
    assert not (data / DATABASE_NAME).exists()

    # A passphrase chosen earlier: the store and its key stay as they were.
    store_key.unlock(data, PASSPHRASE)
    _open_workspace(data).close()
    store_key.forget_in_memory(data)
    before = _snapshot(data)
    _when_shown(StorePassphraseDialog, _cancel)
    assert _open(data, smoke=False) == (None, None)
    assert _snapshot(data) == before


def test_under_smoke_the_passphrase_needed_is_said_on_stderr(
    qtbot: QtBot, tmp_path: Path, no_keychain: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _open(tmp_path / "data", smoke=True) == (None, None)
    err = capsys.readouterr().err
    assert err.startswith("dxdesk: エラー: この端末にはキーチェーンがないため")
    assert err.count("\n") == 1


def _plaintext_store(data: Path, filler_mb: int = 0) -> Path:
    """An old plaintext store (before issue 23), with ``filler_mb`` MB of rows of its own."""
    data.mkdir()
    path = data / DATABASE_NAME
    shutil.copyfile(FIXTURE, path)
    if filler_mb:
        connection = sqlite3.connect(path)
        connection.execute("CREATE TABLE filler(x)")
        connection.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO filler SELECT randomblob(1000) FROM n",
            (filler_mb * 1000,),
        )
        connection.commit()
        connection.close()
    return path


def _content(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


class _Shows(QObject):
    """Every QProgressDialog the app shows (seen at its Show event, however briefly shown)."""

    def __init__(self, then: Callable[[QProgressDialog], None] | None = None) -> None:
        super().__init__()
        self.labels: list[str] = []
        self._then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QProgressDialog):
            self.labels.append(watched.labelText())
            if self._then is not None:
                then, dialog = self._then, watched
                QTimer.singleShot(0, lambda: then(dialog))
        return False


@pytest.fixture
def shows(qapp: QApplication) -> Iterator[Callable[..., _Shows]]:
    filters: list[_Shows] = []

    def install(then: Callable[[QProgressDialog], None] | None = None) -> _Shows:
        watcher = _Shows(then)
        qapp.installEventFilter(watcher)
        filters.append(watcher)
        return watcher

    yield install
    for watcher in filters:
        qapp.removeEventFilter(watcher)


def test_an_old_plaintext_store_is_encrypted_with_its_progress_shown(
    qtbot: QtBot, tmp_path: Path, real_keychain: None, shows: Callable[..., _Shows]
) -> None:
    data = tmp_path / "data"
    path = _plaintext_store(data)
    before = _content(path)
    watcher = shows()
    workspace = _open_workspace(data)
    try:
        assert watcher.labels == ["記録を暗号化しています…"]
        assert not store_cipher.is_plaintext(path)
        assert _shown(QProgressDialog) is None
    finally:
        workspace.close()
        store_key.forget(data)
    assert before  # the fixture's content, now readable only with the key
    with pytest.raises(sqlite3.DatabaseError):
        _content(path)


def test_without_a_keychain_the_passphrase_comes_before_the_encryption(
    qtbot: QtBot, tmp_path: Path, no_keychain: None, shows: Callable[..., _Shows]
) -> None:
    data = tmp_path / "data"
    path = _plaintext_store(data)
    order: list[str] = []

    def choose(widget: QWidget) -> None:
        order.append("passphrase")
        _type(_dialog(widget), PASSPHRASE, PASSPHRASE)

    watcher = shows(lambda _dialog: order.append("progress"))
    _when_shown(StorePassphraseDialog, choose)
    workspace = _open_workspace(data)
    workspace.close()
    qtbot.waitUntil(lambda: len(order) == 2)
    assert order == ["passphrase", "progress"]
    assert watcher.labels == ["記録を暗号化しています…"]
    assert not store_cipher.is_plaintext(path)


def test_cancel_while_encrypting_leaves_the_plaintext_store_whole(
    qtbot: QtBot, tmp_path: Path, no_keychain: None, shows: Callable[..., _Shows]
) -> None:
    data = tmp_path / "data"
    path = _plaintext_store(data, filler_mb=40)  # long enough to be stopped halfway
    store_key.unlock(data, PASSPHRASE)  # chosen before: only the progress dialog shows
    before = _content(path)
    said: list[str] = []

    def cancel(dialog: QProgressDialog) -> None:
        [button] = dialog.findChildren(QPushButton)
        assert button.text() == "キャンセル"
        button.click()

    def close_message(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        said.append(widget.text())
        widget.button(QMessageBox.StandardButton.Ok).click()

    shows(cancel)
    _when_shown(QMessageBox, close_message)
    assert _open(data, smoke=False) == (None, None)
    assert said == [
        "記録の暗号化を中止しました。記録は暗号化する前のまま残してあります。終了します。"
    ]
    assert store_cipher.is_plaintext(path)
    assert _content(path) == before
    assert sorted(p.name for p in data.iterdir() if p.name.startswith(".dxdesk-")) == []
