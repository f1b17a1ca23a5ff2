"""A formatted message always gets its values: no 「 に接続できました。」, no 「（None）」; and
every error a window shows reads the same way (one helper: refused fields by their labels)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

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
