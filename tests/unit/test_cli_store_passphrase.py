"""The store's passphrase on the command line where no keychain holds the store's key."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from dxdesk.cli.main import main
from dxdesk.cli.store_unlock import PASSPHRASE_ENV
from dxdesk.models import store_key
from dxdesk.models.paths import DATABASE_NAME
from tests.conftest import STORE_PASSPHRASE


def _add(data: Path, title: str) -> int:
    body = {"municipality": "302015", "date": "2025-06-12", "title": title}
    return main(["--data-dir", str(data), "records", "add", "visit", "--json", json.dumps(body)])


def test_a_script_gives_the_passphrase_and_a_wrong_one_changes_nothing(
    tmp_path: Path,
    no_keychain: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    assert _add(data, "最初の訪問") == 0
    assert "wraps" in (data / store_key.KEY_FILE).read_text()  # sealed under the passphrase
    store_key.forget_in_memory(data)  # the next command is a new process
    capsys.readouterr()

    monkeypatch.setenv(PASSPHRASE_ENV, "違う合言葉ですよ")
    before = (data / DATABASE_NAME).read_bytes()
    assert _add(data, "二つ目") == 2
    assert f"{PASSPHRASE_ENV} の合言葉が違います" in capsys.readouterr().err
    assert (data / DATABASE_NAME).read_bytes() == before

    monkeypatch.setenv(PASSPHRASE_ENV, STORE_PASSPHRASE)
    assert _add(data, "二つ目") == 0
    store_key.forget_in_memory(data)
    capsys.readouterr()
    assert main(["--data-dir", str(data), "records", "list", "visit", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(r["title"] for r in listed) == ["二つ目", "最初の訪問"]


def test_without_a_terminal_or_the_variable_it_says_how_to_give_it(
    tmp_path: Path,
    no_keychain: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV)
    data = tmp_path / "data"
    assert _add(data, "訪問") == 2
    err = capsys.readouterr().err
    assert PASSPHRASE_ENV in err and err.count("\n") == 1
    assert not (data / DATABASE_NAME).exists() and not (data / store_key.KEY_FILE).exists()


def test_the_records_passphrase_is_changed_with_the_current_one(
    tmp_path: Path,
    no_keychain: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    assert _add(data, "訪問") == 0
    key_file = data / store_key.KEY_FILE
    before = key_file.read_bytes()
    change = ["--data-dir", str(data), "store-passphrase", "change", "--passphrase-stdin"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("違う合言葉ですよ\n新しい記録の合言葉\n"))
    assert main(change) == 2
    assert "違います" in capsys.readouterr().err and key_file.read_bytes() == before
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{STORE_PASSPHRASE}\n新しい記録の合言葉\n"))
    assert main(change) == 0
    store_key.forget_in_memory(data)  # the next start
    assert _add(data, "古い合言葉では") == 2  # DXDESK_STORE_PASSPHRASE still holds the old one
    monkeypatch.setenv(PASSPHRASE_ENV, "新しい記録の合言葉")
    assert _add(data, "新しい合言葉で") == 0


def test_with_a_keychain_there_is_no_records_passphrase_to_change(
    tmp_path: Path, real_keychain: None, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert _add(data, "訪問") == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data), "store-passphrase", "change"]) == 2
    assert "キーチェーン" in capsys.readouterr().err
