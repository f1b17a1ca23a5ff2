from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from dxdesk.services.workspace import open_workspace

REPO = Path(__file__).parents[2]


def test_text_typed_right_before_a_kill_is_there_on_reopening(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path)
    visit = ws.engagements.add({"municipality": "302015", "date": "2025-06-12", "notes": "前半。"})
    ws.close()
    typed = "追記：申請書の棚卸しから始める"
    result = subprocess.run(
        [sys.executable, "-m", "tests.gui.typing_child", str(tmp_path), visit["id"], typed],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert result.stdout.strip() == "typed"
    reopened = open_workspace(tmp_path)
    try:
        # The cursor starts at the top of the editor, so the typing lands before the old text.
        assert reopened.engagements.get(visit["id"])["notes"] == typed + "前半。"
    finally:
        reopened.close()
