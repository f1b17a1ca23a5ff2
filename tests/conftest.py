from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# GUI tests draw offscreen unless a display was chosen on purpose (screenshots use Xvfb).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
from keyring.backends import fail

from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.sync.credentials import keychain_available

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


@pytest.fixture
def no_keychain() -> Iterator[None]:
    """No keychain backend in this process: the app must ask for the password instead."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def real_keychain() -> None:
    """A real Secret Service keychain (scripts/with_keychain); CI requires one."""
    if not keychain_available():
        if os.environ.get("DXDESK_REQUIRE_KEYCHAIN"):
            pytest.fail("no Secret Service keychain, but DXDESK_REQUIRE_KEYCHAIN is set")
        pytest.skip("no keychain here (run under scripts/with_keychain)")
