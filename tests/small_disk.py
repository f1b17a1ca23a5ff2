"""A real full disk for tests: a script run with a small tmpfs mounted where the test says, in
a user and mount namespace of its own (``unshare -rm``), so no root and nothing left mounted."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def run_on_small_disk(
    mount: Path, size: str, script: Path, *args: object
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` with ``args`` by this Python, a tmpfs of ``size`` (e.g. "1m") mounted on
    ``mount`` first; skips the test where ``unshare`` or user namespaces are missing."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare is not installed")
    if subprocess.run([unshare, "-rm", "true"], capture_output=True, check=False).returncode:
        pytest.skip("no user namespaces here to mount a small tmpfs in")
    words = " ".join(f'"{arg}"' for arg in (sys.executable, script, *args))
    return subprocess.run(
        [unshare, "-rm", "sh", "-c", f'mount -t tmpfs -o size={size} tmpfs "{mount}" && {words}'],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
