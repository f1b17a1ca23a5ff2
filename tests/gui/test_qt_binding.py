"""The Qt binding we depend on must not crash the app on exit.

PySide6 6.12.0 on Python 3.11 drops a reference to True/False on every bool signal delivered to
a Python slot (a check box's ``toggled``, for one); after a few thousand the interpreter aborts
while shutting down. The pin in pyproject.toml keeps it out; this test keeps the pin honest.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    from PySide6.QtWidgets import QApplication, QCheckBox
    app = QApplication([])
    box = QCheckBox()
    seen = []
    box.toggled.connect(seen.append)
    for _ in range(5000):
        box.toggle()
    print(len(seen))
    """
)


def test_many_bool_signals_then_a_clean_exit() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.stdout.strip() == "5000"
    assert result.returncode == 0, result.stderr[-2000:]
