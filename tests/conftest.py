from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# GUI tests draw offscreen unless a display was chosen on purpose (screenshots use Xvfb).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dxdesk.models.workspace import Workspace, open_workspace

pytest_plugins = ["tests.server.fixtures"]  # the real server, for tests/server and tests/e2e


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "data")
    yield ws
    ws.close()


@pytest.fixture
def visit_payload() -> dict[str, object]:
    return {
        "municipality": "302015",
        "date": "2025-06-12",
        "type": "visit",
        "mode": "対面",
        "title": "窓口BPRの相談",
        "themes": ["窓口BPR・庁内BPR"],
        "summary": "書かない窓口の検討を始める。",
        "notes": "第1段落\n\n第2段落",
    }
