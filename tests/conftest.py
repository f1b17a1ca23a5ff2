from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# GUI tests draw offscreen unless a display was chosen on purpose (screenshots use Xvfb).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
from keyring.backends import fail

from dxdesk.cli.store_unlock import PASSPHRASE_ENV
from dxdesk.models import store_key
from dxdesk.models.backup_crypto import KdfCost
from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.sync.credentials import keychain_available

pytest_plugins = ["tests.server.fixtures"]  # the real server, for tests/server and tests/e2e

TESTS = Path(__file__).parent

# The "slow" marker, registered and applied here: the quick loop (pytest -m "not slow") leaves
# these out, each taking seconds per test. A folder names all its modules. CI runs them all.
SLOW = {
    "e2e": "the real server over TLS, the app's sync, child processes, Hypothesis machines",
    "server": "the real server over TLS, on SQLite and PostgreSQL; the OpenAPI fuzzing",
    "unit/test_cli.py": "the dxdesk command in child processes",
    "unit/test_cli_bad_input.py": "the dxdesk command in child processes",
    "unit/test_cli_backups.py": "the dxdesk command in child processes",
    "unit/test_cli_unreadable_store.py": "the dxdesk command in child processes",
    "unit/models/test_store_in_use.py": "child processes holding the store",
    "unit/models/test_store_encryption.py": "an encryption killed in child processes",
    "gui/test_long_work.py": "a 60 MB store copied",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "slow: seconds per test (real server over TLS, PostgreSQL, child processes, big stores, "
        "many Hypothesis examples); the quick loop is -m 'not slow'",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        where = item.path.relative_to(TESTS).as_posix()
        if any(where == slow or where.startswith(slow + "/") for slow in SLOW):
            item.add_marker(pytest.mark.slow)


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


# The store's passphrase a command takes where no keychain exists (dxdesk/cli/store_unlock.py).
STORE_PASSPHRASE = "店の合言葉テスト"


@pytest.fixture
def no_keychain(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No keychain backend in this process: the app must ask for the password instead (and
    a command, for the store's passphrase: given here as a script gives it)."""
    monkeypatch.setenv(PASSPHRASE_ENV, STORE_PASSPHRASE)
    previous = keyring.get_keyring()
    # keyring's KeyringBackend.__init__ has no annotations (keyring 25), so the call is untyped.
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def real_keychain() -> None:
    """A real Secret Service keychain (scripts/with_keychain); CI requires one."""
    if not keychain_available():
        if os.environ.get("DXDESK_REQUIRE_KEYCHAIN"):
            pytest.fail("no Secret Service keychain, but DXDESK_REQUIRE_KEYCHAIN is set")
        pytest.skip("no keychain here (run under scripts/with_keychain)")


@pytest.fixture(autouse=True)
def _cheap_store_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    """A store passphrase chosen in a test is sealed with a low scrypt cost (0.4 s each else)."""
    monkeypatch.setattr(store_key, "PASSPHRASE_COST", KdfCost(n=2**10))
