"""The ``dxdesk`` command in this process, as a test drives it: its status, stdout and stderr."""

from __future__ import annotations

import pytest

from dxdesk.cli.main import main


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err
