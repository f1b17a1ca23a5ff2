"""``dxdesk import-records`` with real workbooks written by openpyxl."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from dxdesk.domain.roster import load_roster
from dxdesk.services.assignment import set_assignment
from dxdesk.services.workspace import open_workspace
from tests.cli_run import run_cli

ROSTER = load_roster()
WAKAYAMA, KAINAN = ROSTER[0], ROSTER[1]


def _records(data: Path, kind: str) -> list[dict[str, object]]:
    ws = open_workspace(data)
    try:
        return ws.records(kind).list_records()
    finally:
        ws.close()


def _visits_book(path: Path, municipality: str = "") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "相談記録"
    sheet.append(["令和6年度 相談の記録"])  # a title above the header
    sheet.append([])
    sheet.append(["相談日", "団体名", "件名", "概要", "対応者"])
    sheet.append(["令和6年4月1日", WAKAYAMA.name, "キックオフ", "体制の相談", "山田、佐藤"])
    sheet.append(["R6.5.10", municipality or KAINAN.name, "RPA", "帳票の自動化", "山田"])
    sheet.append(["H31.4.1", WAKAYAMA.code, "初回", None, "佐藤\n鈴木"])
    book.save(path)
    return path


def test_visits_with_a_title_row_and_wareki_dates_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    book = _visits_book(tmp_path / "相談.xlsx")

    code, out, _ = run_cli(capsys, "--data-dir", str(data), "import-records", "visit", str(book))

    assert code == 0 and "新規 3 件" in out
    visits = sorted(_records(data, "visit"), key=lambda v: str(v["date"]))
    assert [(v["date"], v["municipality"], v["title"]) for v in visits] == [
        ("2019-04-01", WAKAYAMA.code, "初回"),
        ("2024-04-01", WAKAYAMA.code, "キックオフ"),
        ("2024-05-10", KAINAN.code, "RPA"),
    ]
    assert visits[0]["advisor_attendees"] == ["佐藤", "鈴木"]
    assert visits[1]["advisor_attendees"] == ["山田", "佐藤"]

    code, out, _ = run_cli(capsys, "--data-dir", str(data), "import-records", "visit", str(book))
    assert code == 0 and "新規 0 件" in out and "変更なし 3 件" in out
    assert len(_records(data, "visit")) == 3


def test_dry_run_reports_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    book = _visits_book(tmp_path / "相談.xlsx")

    code, out, _ = run_cli(
        capsys, "--data-dir", str(data), "import-records", "visit", str(book), "--dry-run", "--json"
    )

    result = json.loads(out)
    assert code == 0 and result["created"] == 3 and result["errors"] == []
    assert result["header_row"] == 3 and result["columns"]["B"] == "municipality"
    assert _records(data, "visit") == []


def test_an_unknown_municipality_names_sheet_row_and_column_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    book = _visits_book(tmp_path / "相談.xlsx", municipality="架空村")

    code, out, err = run_cli(capsys, "--data-dir", str(data), "import-records", "visit", str(book))

    assert code == 1 and "何も書き込みませんでした" in err
    assert "シート「相談記録」5 行目 B 列" in out and "架空村" in out
    assert _records(data, "visit") == []


def test_an_id_column_keeps_identity_and_an_edited_row_is_an_update(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    path = tmp_path / "連絡先.xlsx"

    def write(title: str) -> None:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["No", "市町村", "氏名", "所属", "役職", "電話"])
        sheet.append([1, WAKAYAMA.name, "田中 一郎", "DX推進課", title, "073-000-0000"])
        sheet.append([2, KAINAN.code, "高橋 花子", "総務課", "主査", None])
        book.save(path)

    write("課長")
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "import-records", "contact", str(path))
    assert code == 0 and "新規 2 件" in out
    write("部長")
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "import-records", "contact", str(path))
    assert code == 0 and "新規 0 件、更新 1 件、変更なし 1 件" in out
    contacts = {c["name"]: c for c in _records(data, "contact")}
    assert len(contacts) == 2 and contacts["田中 一郎"]["title"] == "部長"


def test_other_kinds_are_refused_naming_the_supported_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = _visits_book(tmp_path / "相談.xlsx")
    code, _, err = run_cli(
        capsys, "--data-dir", str(tmp_path / "data"), "import-records", "event", str(book)
    )
    assert code != 0 and all(k in err for k in ("visit", "contact", "followup", "article"))


def test_a_municipality_outside_the_assignment_is_an_error_of_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    ws = open_workspace(data)
    try:
        with ws.store.transaction() as session:
            set_assignment(session, [WAKAYAMA.code])
    finally:
        ws.close()
    book = _visits_book(tmp_path / "相談.xlsx")

    code, out, _ = run_cli(capsys, "--data-dir", str(data), "import-records", "visit", str(book))

    assert code == 1 and "シート「相談記録」5 行目 B 列" in out and "担当ではありません" in out
    assert _records(data, "visit") == []
