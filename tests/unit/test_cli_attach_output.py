"""`dxdesk attachments list|get` on what is not there, and where `get -o` writes: into a folder
under the attachment's name, never over a file without --force; `attach` keeps stderr empty when
a file has no text to read (a damaged PDF)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_cli_attach import EXIT_USAGE, attach, data_dir, run, visit_id

__all__ = ["data_dir", "visit_id"]  # the fixtures, shared with test_cli_attach
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def made(
    data_dir: Path, visit_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    plan = tmp_path / "計画案.pdf"
    plan.write_bytes(b"%PDF-1.7 plan")
    (record,) = attach(capsys, data_dir, visit_id, plan)
    return record


def test_list_of_a_record_that_is_not_there_says_so_like_attach(
    data_dir: Path, visit_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(uuid.UUID(int=uuid.UUID(visit_id).int ^ 1))  # one bit from the real one
    for unknown in (missing, "nonsense"):
        status, out, err = run(capsys, data_dir, "attachments", "list", "visit", unknown)
        assert (status, out) == (EXIT_USAGE, "")
        assert err == f"dxdesk: エラー: 相談記録 {unknown} はありません\n"
    status, out, _err = run(capsys, data_dir, "attachments", "list", "visit", visit_id, "--json")
    assert (status, json.loads(out)) == (0, [])


def test_get_into_a_folder_writes_under_the_name_and_says_which_file(
    data_dir: Path, made: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    status, out, _err = run(capsys, data_dir, "attachments", "get", made["id"], "-o", f"{folder}/")
    written = folder / "計画案.pdf"
    assert (status, out) == (0, f"書き出しました: {written}\n")
    assert written.read_bytes() == b"%PDF-1.7 plan"


def test_get_into_a_folder_that_is_not_there_is_refused(
    data_dir: Path, made: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = f"{tmp_path / 'out'}/"
    status, out, err = run(capsys, data_dir, "attachments", "get", made["id"], "-o", target)
    assert (status, out) == (EXIT_USAGE, "")
    assert (
        err == f"dxdesk: エラー: 書き出し先のフォルダ {target} がありません。先に作ってください\n"
    )
    assert not (tmp_path / "out").exists()


def test_get_over_a_file_needs_force(
    data_dir: Path, made: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    there = tmp_path / "計画案.pdf"  # the very file attached, or any other
    there.write_bytes(b"the person's own")
    args = ("attachments", "get", made["id"], "-o", str(there))
    status, out, err = run(capsys, data_dir, *args)
    assert (status, out) == (EXIT_USAGE, "")
    assert err == (
        f"dxdesk: エラー: {there} はすでにあります。上書きするときは --force を付けてください\n"
    )
    assert there.read_bytes() == b"the person's own"
    status, out, _err = run(capsys, data_dir, *args, "--force")
    assert (status, out) == (0, f"書き出しました: {there}\n")
    assert there.read_bytes() == b"%PDF-1.7 plan"


def test_attach_of_a_damaged_pdf_says_nothing_on_stderr(
    data_dir: Path, visit_id: str, tmp_path: Path
) -> None:
    """In its own process: the test runner's log capture would hide what Python's last-resort
    handler prints of pypdf's and the text reader's warnings."""
    damaged = tmp_path / "壊れた.pdf"
    damaged.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n")  # no xref, no %%EOF
    command = ["--data-dir", str(data_dir), "attach", "visit", visit_id, str(damaged)]
    done = subprocess.run(
        [sys.executable, "-m", "dxdesk", *command],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)[0]["name"] == "壊れた.pdf"
