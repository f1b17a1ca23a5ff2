"""A formatted message always gets its values: no 「 に接続できました。」, no 「（None）」; and
every error a window shows reads the same way (one helper: refused fields by their labels)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.exc import OperationalError

from dxdesk.domain.record_fields import clean_value
from dxdesk.domain.records import kind_spec
from dxdesk.models.tables import MunicipalityRow
from dxdesk.services.records import InvalidRecord
from dxdesk.services.workspace import Workspace
from dxdesk.sync.api_client import Offline
from dxdesk.ui.refusal_text import error_text


def test_a_file_error_without_an_errno_still_says_what_went_wrong() -> None:
    # OSError("…") (as zipfile and some libraries raise it) has no errno, so no strerror.
    message = error_text(OSError("ディスクが外れました"))
    assert message == "ファイルを読み書きできません（ディスクが外れました）"
    refused = error_text(PermissionError(13, "Permission denied", "/tmp/x.xlsx"))
    assert refused == "ファイル /tmp/x.xlsx を読み書きできません（Permission denied）"


def test_a_value_refused_when_a_conflict_is_resolved_names_the_field_by_its_label() -> None:
    with pytest.raises(ValueError) as refused:
        clean_value(kind_spec("visit").field("title"), "長" * 501)
    message = error_text(refused.value)
    assert message.startswith("件名: ") and "title" not in message


def test_the_assignment_refusal_names_the_municipality_by_its_label(
    workspace: Workspace,
) -> None:
    with workspace.store.transaction() as session:
        session.execute(update(MunicipalityRow).values(assigned=MunicipalityRow.code == "302023"))
    with pytest.raises(InvalidRecord) as refused:
        workspace.engagements.add({"municipality": "302015", "date": "2025-06-12"})
    message = error_text(refused.value)
    assert message.startswith("市町村: 和歌山市 (302015) は担当ではありません")
    assert "municipality" not in message


def test_the_apps_own_errors_say_themselves_and_others_are_named() -> None:
    assert error_text(Offline("サーバーに接続できません")) == "サーバーに接続できません"
    assert error_text(KeyError("x")) == "予期しないエラーです（KeyError）"


def test_a_database_that_will_not_take_a_write_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.commit()
    holder.execute("BEGIN EXCLUSIVE")  # another process writing (a command-line import, a backup)
    busy = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    with pytest.raises(OperationalError) as locked, busy.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
    holder.rollback()
    holder.close()
    busy.dispose()
    assert error_text(locked.value) == (
        "ほかの処理がデータベースを使っています。しばらくしてからもう一度お試しください"
    )
    read_only = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with pytest.raises(OperationalError) as refused, read_only.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
    read_only.dispose()
    assert error_text(refused.value) == (
        "データベースに書き込めません（権限や空き容量を確認してください）"
    )
