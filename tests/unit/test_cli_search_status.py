"""`dxdesk search` says when a consultation found was not held: 予定 or 中止."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxdesk.cli.main import main
from dxdesk.services.workspace import open_workspace


def test_a_planned_or_cancelled_consultation_is_named_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    ws = open_workspace(data)
    try:
        for status in ("planned", "held", "cancelled"):
            ws.engagements.add(
                {
                    "municipality": "302015",
                    "date": "2025-07-01",
                    "status": status,
                    "title": f"電子申請の相談 {status}",
                }
            )
    finally:
        ws.close()

    assert main(["--data-dir", str(data), "search", "電子申請"]) == 0
    titles = [line for line in capsys.readouterr().out.splitlines() if line.startswith("[")]
    assert sorted(line.split("  ")[0] for line in titles) == [
        "[visit] 電子申請の相談 cancelled（中止）",
        "[visit] 電子申請の相談 held",
        "[visit] 電子申請の相談 planned（予定）",
    ]
