"""``dxdesk survey-template`` makes the sheet from the year's definition and says which one."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from dxdesk.cli.main import main
from dxdesk.services.workspace import open_workspace

QUESTIONS = [
    {"code": "Q1", "page": 1, "text": "推進体制", "type": "single", "choices": "staffing"},
    {"code": "Q2", "page": 1, "text": "職員数", "type": "number", "unit": "人"},
    {"code": "0-1", "page": 2, "text": "首長の関与", "type": "scored", "item": "0-1"},
]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _headers(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    return [str(c.value) for c in next(book["回答"].iter_rows(max_row=1))]


def test_a_year_without_a_definition_gets_the_catalogs_items_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "回答票.xlsx"
    data = str(tmp_path / "data")
    code, out, err = _run(
        capsys, "--data-dir", data, "survey-template", "-o", str(target), "--fiscal-year", "R7"
    )
    assert (code, err) == (0, "")
    assert "R7 (2025) の回答票を作りました" in out and "30 市町村" in out
    assert "設問: 26 問（アセスメント項目のみ。この年度の調査の定義はまだありません" in out
    assert "dxdesk survey-definition load FILE" in out
    assert len(_headers(target)) == 4 + 26  # 市町村コード, 市町村名, 回答者, 回答日


def test_the_loaded_definition_makes_the_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    ws = open_workspace(data)
    try:
        ws.survey_definitions.add(
            {
                "fiscal_year": 2025,
                "prefecture": "和歌山県",
                "title": "R7 調査",
                "definition": {
                    "fiscal_year": 2025,
                    "prefecture": "和歌山県",
                    "title": "R7 調査",
                    "questions": QUESTIONS,
                    "choice_lists": {"staffing": [{"value": "a", "label": "専任"}]},
                },
                "source_name": "R7定義.xlsx",
            }
        )
    finally:
        ws.close()
    target = tmp_path / "回答票.xlsx"
    args = ("--data-dir", str(data), "survey-template", "-o", str(target), "--fiscal-year", "2025")
    code, out, _ = _run(capsys, *args)
    assert code == 0
    assert "設問: 3 問（読み込んだ定義「R7定義.xlsx」）" in out
    assert _headers(target)[4:] == ["Q1 推進体制", "Q2 職員数（人）", "0-1 首長の関与"]


def test_an_unwritable_target_is_said_and_nothing_is_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "回答票.xlsx"
    code, out, err = _run(
        capsys, "--data-dir", str(tmp_path / "data"), "survey-template", "-o", str(target)
    )
    assert code != 0 and out == ""
    assert f"{target} に書き込めません" in err
    assert not target.parent.exists()
