"""``dxdesk export csv KIND -o FILE`` (reports/csv_export.py): the columns of the kind's sheet,
UTF-8 with a BOM, formula-looking text behind an apostrophe, written all or nothing."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from dxdesk.cli import main as cli
from dxdesk.models.store import StoreError
from dxdesk.reports.csv_export import UnknownKind, export_csv
from dxdesk.reports.xlsx_export import KIND_SHEETS, build_tables
from dxdesk.services.workspace import Workspace, open_workspace
from tests.reports.test_xlsx_export_people import seed_people

Run = Callable[..., tuple[int, str, str]]


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def test_contacts_csv_has_the_sheet_columns_a_bom_and_japanese_intact(
    workspace: Workspace, tmp_path: Path
) -> None:
    seed_people(workspace)
    target = tmp_path / "連絡先.csv"
    assert export_csv(workspace, "contact", target) == 2
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel looks for
    assert b"\r\n" in data
    header, *rows = _read(target)
    (sheet,) = [t for t in build_tables(workspace) if t.name == KIND_SHEETS["contact"]]
    assert header == sheet.headers  # one source of truth for the columns
    mori = dict(zip(header, rows[1], strict=True))
    assert (mori["市町村名"], mori["氏名"], mori["所属"]) == ("海南市", "森 誠", "企画課")
    assert mori["電話"] == "'+81 73-000-0000"  # + would start a formula


def test_article_csv_escapes_a_formula_title_and_keeps_people_lines(
    workspace: Workspace, tmp_path: Path
) -> None:
    seeded = seed_people(workspace)
    target = tmp_path / "ナレッジ.csv"
    export_csv(workspace, "article", target)
    header, *rows = _read(target)
    by_id = {row[header.index("ID")]: dict(zip(header, row, strict=True)) for row in rows}
    article = by_id[seeded["article"]["id"]]
    assert article["題名"] == "'=窓口BPRの進め方"
    assert article["詳しい人"] == "山本 健一（和歌山市・課長）\n佐藤　内線 1234"
    assert article["年度"] == "R6 (2024)"
    assert by_id[seeded["draft"]["id"]]["題名"] == ""


def test_dates_and_ratios_read_as_the_app_shows_them(workspace: Workspace, tmp_path: Path) -> None:
    workspace.engagements.add({"municipality": "302015", "date": "2025-06-12", "title": "-x"})
    workspace.assessments.add(
        {"municipality": "302031", "fiscal_year": "R6", "scores": {"0-1": 3, "3-4": 2, "D8": 3}}
    )
    export_csv(workspace, "visit", tmp_path / "v.csv")
    header, row = _read(tmp_path / "v.csv")
    visit = dict(zip(header, row, strict=True))
    assert (visit["日付"], visit["件名"], visit["市町村名"]) == ("2025-06-12", "'-x", "和歌山市")
    export_csv(workspace, "assessment", tmp_path / "a.csv")
    header, row = _read(tmp_path / "a.csv")
    assessment = dict(zip(header, row, strict=True))
    first_item = next(h for h in header if h.startswith("0-1 "))
    assert (assessment["得点率"], assessment["合計"], assessment[first_item]) == ("10%", "8", "3")


@pytest.mark.parametrize("kind", list(KIND_SHEETS))
def test_every_kind_writes_its_headers_even_when_empty(
    workspace: Workspace, tmp_path: Path, kind: str
) -> None:
    assert export_csv(workspace, kind, tmp_path / f"{kind}.csv") == 0
    (header,) = _read(tmp_path / f"{kind}.csv")
    assert "ID" in header or kind == "programme_plan"


def test_an_unknown_kind_is_refused_with_the_kinds_named(
    workspace: Workspace, tmp_path: Path
) -> None:
    with pytest.raises(UnknownKind, match=r"survey_response.*visit, interview"):
        export_csv(workspace, "survey_response", tmp_path / "x.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_the_file_is_replaced_whole_or_not_at_all(workspace: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    export_csv(workspace, "contact", target)
    assert _read(target)[0][0] == "市町村コード"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out.csv"]
    with pytest.raises(StoreError, match="書き込めません"):
        export_csv(workspace, "contact", tmp_path / "missing" / "out.csv")


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    def call(*args: str) -> tuple[int, str, str]:
        try:
            status = cli.main(["--data-dir", str(tmp_path / "data"), *args])
        except SystemExit as exc:  # argparse's own exits
            status = int(exc.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return call


def test_cli_export_csv(run: Run, tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "data")
    try:
        seed_people(ws)
    finally:
        ws.close()
    target = tmp_path / "連絡先.csv"
    status, out, err = run("export", "csv", "contact", "-o", str(target))
    assert (status, err) == (0, "")
    assert out == f"CSV に書き出しました: {target}（2 件）\n"
    assert [row[2] for row in _read(target)] == ["氏名", "安藤 一", "森 誠"]


def test_cli_export_csv_of_an_unknown_kind_exits_2_in_one_line(run: Run, tmp_path: Path) -> None:
    status, out, err = run("export", "csv", "people", "-o", str(tmp_path / "x.csv"))
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert "people という種類は CSV に書き出せません" in err
    assert not (tmp_path / "x.csv").exists()
