"""A formatted message always gets its values: no 「 に接続できました。」, no 「（None）」."""

from __future__ import annotations

from dxdesk.ui.survey_import_session import error_message


def test_a_file_error_without_an_errno_still_says_what_went_wrong() -> None:
    # OSError("…") (as zipfile and some libraries raise it) has no errno, so no strerror.
    message = error_message(OSError("ディスクが外れました"))
    assert message == "ファイルを読み書きできません（ディスクが外れました）"
    refused = error_message(PermissionError(13, "Permission denied", "/tmp/x.xlsx"))
    assert refused == "ファイルを読み書きできません（Permission denied）"
