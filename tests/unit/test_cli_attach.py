"""`dxdesk attach` and `dxdesk attachments`: the new attachments as JSON, the list, a file written
out, a delete; bad input in one line and the usage status, never a traceback."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from dxdesk.cli.main import main
from dxdesk.models.tables import AttachmentText
from dxdesk.services.workspace import open_workspace
from tests.unit.file_samples import docx_file

EXIT_USAGE = 2
EXIT_SYNC_FAILED = 1


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    try:
        status = main(["--data-dir", str(data_dir), *args])
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def visit_id(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> str:
    payload = json.dumps({"municipality": "302015", "date": "2025-06-12", "title": "窓口BPR"})
    status, out, _err = run(capsys, data_dir, "records", "add", "visit", "--json", payload)
    assert status == 0
    return str(json.loads(out)["id"])


def attach(
    capsys: pytest.CaptureFixture[str], data_dir: Path, visit_id: str, *files: Path
) -> list[dict[str, Any]]:
    status, out, err = run(capsys, data_dir, "attach", "visit", visit_id, *map(str, files))
    assert (status, err) == (0, "")
    made: list[dict[str, Any]] = json.loads(out)
    return made


def test_attach_prints_the_new_attachments_and_list_shows_them(
    data_dir: Path, visit_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    memo = tmp_path / "会議 メモ.txt"
    memo.write_bytes("窓口の流れ".encode())
    plan = tmp_path / "計画案.pdf"
    plan.write_bytes(b"%PDF-1.7 plan")
    made = attach(capsys, data_dir, visit_id, memo, plan)
    assert [sorted(item) for item in made] == [["id", "name", "sha256", "size"]] * 2
    assert [(item["name"], item["size"]) for item in made] == [
        ("会議 メモ.txt", len("窓口の流れ".encode())),
        ("計画案.pdf", 13),
    ]
    assert made[1]["sha256"] == hashlib.sha256(b"%PDF-1.7 plan").hexdigest()

    status, out, _err = run(capsys, data_dir, "attachments", "list", "visit", visit_id, "--json")
    assert status == 0
    listed = json.loads(out)
    assert {item["id"] for item in listed} == {item["id"] for item in made}
    assert all(item["present"] and item["waiting"] for item in listed)

    status, out, _err = run(capsys, data_dir, "attachments", "list", "visit", visit_id)
    assert status == 0
    lines = sorted(out.splitlines())
    assert len(lines) == 2
    assert f"{made[1]['id']}\t計画案.pdf\t13 バイト\tapplication/pdf\t送信待ち" in lines


def test_get_writes_the_bytes_and_delete_removes_the_attachment(
    data_dir: Path, visit_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "計画案.pdf"
    plan.write_bytes(b"%PDF-1.7 plan")
    (made,) = attach(capsys, data_dir, visit_id, plan)
    out_file = tmp_path / "out" / "コピー.pdf"
    out_file.parent.mkdir()
    status, out, _err = run(capsys, data_dir, "attachments", "get", made["id"], "-o", str(out_file))
    assert status == 0 and "書き出しました" in out
    assert out_file.read_bytes() == b"%PDF-1.7 plan"
    status, out, _err = run(capsys, data_dir, "attachments", "delete", made["id"])
    assert (status, out) == (0, f"削除しました: 計画案.pdf（{made['id']}）\n")
    status, out, _err = run(capsys, data_dir, "attachments", "list", "visit", visit_id, "--json")
    assert json.loads(out) == []
    status, _out, err = run(capsys, data_dir, "attachments", "get", made["id"], "-o", "x.pdf")
    assert status == EXIT_USAGE
    assert err == f"dxdesk: エラー: 添付ファイル {made['id']} はありません\n"


def test_attach_extracts_the_text_for_search(
    data_dir: Path, visit_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = docx_file(tmp_path / "議事録.docx", ["書かない窓口の導入を検討する"])
    (made,) = attach(capsys, data_dir, visit_id, document)
    ws = open_workspace(data_dir)
    try:
        with ws.store.session() as session:
            text = session.scalar(
                select(AttachmentText.text).where(AttachmentText.sha256 == made["sha256"])
            )
    finally:
        ws.close()
    assert text is not None and "書かない窓口" in text
    # The search's text names the visit the file is attached to, as its JSON does.
    status, out, _err = run(capsys, data_dir, "search", "書かない窓口", "--kind", "attachment")
    assert status == 0
    assert out.splitlines()[:2] == [
        f"[attachment] 議事録.docx  {made['id']}",
        f"    相談記録「窓口BPR」に添付  {visit_id}",
    ]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b""), "空.txt: 空のファイル（0 バイト）は添付できません"),
        (lambda p: p.mkdir(), "空.txt: フォルダは添付できません。中のファイルを選んでください"),
        (lambda p: None, "空.txt: ファイルが見つかりません"),
    ],
    ids=["empty", "folder", "missing"],
)
def test_a_file_that_cannot_be_attached_is_said_in_one_line(
    data_dir: Path,
    visit_id: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Any,
    message: str,
) -> None:
    good = tmp_path / "good.pdf"
    good.write_bytes(b"good")
    bad = tmp_path / "空.txt"
    make(bad)
    status, out, err = run(capsys, data_dir, "attach", "visit", visit_id, str(good), str(bad))
    assert (status, out) == (EXIT_USAGE, "")
    assert err.startswith(f"dxdesk: エラー: {message}") and err.count("\n") == 1
    status, out, _err = run(capsys, data_dir, "attachments", "list", "visit", visit_id, "--json")
    assert json.loads(out) == []


def test_a_record_that_is_not_there_or_not_a_parent(
    data_dir: Path, visit_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "a.pdf"
    file.write_bytes(b"a")
    status, _out, err = run(capsys, data_dir, "attach", "event", visit_id, str(file))
    assert (status, err) == (EXIT_USAGE, f"dxdesk: エラー: 合同の場 {visit_id} はありません\n")
    status, _out, err = run(capsys, data_dir, "attach", "contact", visit_id, str(file))
    assert status == EXIT_USAGE and "'contact'" in err and "Traceback" not in err
    status, _out, err = run(capsys, data_dir, "attach", "visit", visit_id)
    assert status == EXIT_USAGE and "FILE" in err


def test_records_add_attachment_points_to_attach(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out, err = run(capsys, data_dir, "records", "add", "attachment", "--json", "{}")
    assert status == EXIT_USAGE
    assert err == (
        "dxdesk: エラー: 添付ファイルは dxdesk attach KIND ID FILE... で添付してください"
        "（ファイルの中身と記録を一緒に作ります）\n"
    )


def test_get_of_bytes_not_here_without_a_login_says_how_to_get_them(
    data_dir: Path, visit_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "計画案.pdf"
    plan.write_bytes(b"%PDF-1.7 plan")
    (made,) = attach(capsys, data_dir, visit_id, plan)
    ws = open_workspace(data_dir)
    try:
        ws.files.path(made["sha256"]).unlink()
    finally:
        ws.close()
    out_file = tmp_path / "out.pdf"
    status, _out, err = run(capsys, data_dir, "attachments", "get", made["id"], "-o", str(out_file))
    assert status == EXIT_SYNC_FAILED
    assert "この端末にありません" in err and "ログイン" in err and err.count("\n") == 1
    assert not out_file.exists()
