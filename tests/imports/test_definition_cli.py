"""Loading a survey definition, and ``dxdesk survey-definition`` as the secretariat runs it."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from dxdesk.cli.main import main
from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.roster import load_roster
from dxdesk.imports.definition_loads import DefinitionRefused, load_definition
from dxdesk.imports.definition_workbook import read_definition_workbook
from dxdesk.models.store import META_SYNC_ROLE
from dxdesk.resources import resource_path
from dxdesk.services.survey_definitions import (
    loaded_definitions,
    shipped_definition,
    year_definition,
)
from dxdesk.services.survey_responses import responses_for_year
from dxdesk.services.workspace import Workspace, open_workspace

SHIPPED = resource_path("survey", "definition-2024-wakayama.xlsx")
FIRST, SECOND = (m.code for m in load_roster()[:2])


@pytest.fixture
def definition_file(tmp_path: Path) -> Path:
    return Path(shutil.copy(SHIPPED, tmp_path / "調査定義.xlsx"))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def ws(data: Path) -> Iterator[Workspace]:
    workspace = open_workspace(data)
    yield workspace
    workspace.close()


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["--data-dir", str(data), "survey-definition", *args])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def reword(path: Path, row: int, text: str) -> Path:
    wb = openpyxl.load_workbook(path)
    wb["設問"].cell(row, 4).value = text
    wb.save(path)
    return path


def add_response(ws: Workspace, code: str, definition_id: str | None) -> str:
    record = ws.survey_responses.add(
        {
            "municipality": code,
            "fiscal_year": 2024,
            "definition": definition_id,
            "answers": {"Q1-1": "企画課", "0-1": 3},
            "source_name": "回答.xlsx",
        }
    )
    return str(record["id"])


def test_load_then_load_again_changes_nothing(ws: Workspace, definition_file: Path) -> None:
    first = load_definition(ws, definition_file)
    assert not first.unchanged and first.fiscal_year == 2024
    assert (first.questions, first.pages) == (66, 9)
    assert first.changes == []  # the shipped definition's questions, loaded as they are
    assert "同梱" in first.previous_source
    [stored] = loaded_definitions(ws.store, 2024)
    assert stored.id == first.id and stored.source_name == "調査定義.xlsx"
    assert year_definition(ws.store, 2024).id == first.id
    again = load_definition(ws, definition_file)
    assert again.unchanged and again.id == first.id and again.changes == []
    assert len(loaded_definitions(ws.store, 2024)) == 1


def test_a_changed_file_lists_the_changes_and_old_answers_keep_their_definition(
    ws: Workspace, definition_file: Path
) -> None:
    first = load_definition(ws, definition_file)
    kept = add_response(ws, FIRST, first.id)
    reword(definition_file, 2, "回答される課・室の名前を教えてください。")  # Q1-1
    second = load_definition(ws, definition_file)
    assert not second.unchanged and second.id != first.id
    assert [(c.code, c.what) for c in second.changes] == [("Q1-1", "text")]
    assert second.responses_under_older == 1
    [response] = responses_for_year(ws.store, 2024)
    assert (response.id, response.definition_id) == (kept, first.id)
    assert year_definition(ws.store, 2024).id == second.id


def test_a_file_with_problems_is_refused_and_nothing_written(
    ws: Workspace, definition_file: Path
) -> None:
    reword(definition_file, 6, "DXの定義は？")  # 0-1, worded otherwise than the catalog
    with pytest.raises(DefinitionRefused) as refused:
        load_definition(ws, definition_file)
    assert "1 件" in str(refused.value)
    [problem] = refused.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("設問", 6, "D")
    assert loaded_definitions(ws.store) == []


def test_an_advisors_folder_is_refused(ws: Workspace, definition_file: Path) -> None:
    ws.store.set_meta(META_SYNC_ROLE, "advisor")
    with pytest.raises(DefinitionRefused, match="事務局"):
        load_definition(ws, definition_file)
    assert loaded_definitions(ws.store) == []
    ws.store.set_meta(META_SYNC_ROLE, "coordinator")
    assert not load_definition(ws, definition_file).unchanged


def test_a_hostile_file_is_refused_clearly(ws: Workspace, definition_file: Path) -> None:
    hostile = definition_file.with_name("hostile.xlsx")
    with zipfile.ZipFile(definition_file) as source, zipfile.ZipFile(hostile, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + data
            target.writestr(info, data)
    with pytest.raises(DefinitionRefused, match="安全でない書式"):
        load_definition(ws, hostile)
    assert loaded_definitions(ws.store) == []


# -- the command -------------------------------------------------------------------------------


def test_check_prints_each_problem_where_it_is_and_loads_nothing(
    capsys: pytest.CaptureFixture[str], data: Path, definition_file: Path
) -> None:
    code, out, _ = run(capsys, data, "check", str(definition_file))
    assert code == 0
    assert "問題はありません" in out and "66 問・9 ページ" in out and "要確認 40 問" in out
    wb = openpyxl.load_workbook(definition_file)
    wb["設問"]["A3"] = "Q1-1"
    wb["設問"]["E4"] = "ラジオ"
    wb.save(definition_file)
    code, out, err = run(capsys, data, "check", str(definition_file))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("設問 3 行目 A 列: 設問番号 Q1-1 が 2 行目と重複しています")
    assert lines[1].startswith("設問 4 行目 E 列: 形式「ラジオ」はありません")
    assert "問題が 2 件" in err
    code, out, _ = run(capsys, data, "check", str(definition_file), "--json")
    result = json.loads(out)
    assert code == 1 and result["ok"] is False and result["summary"] is None
    assert [(p["sheet"], p["row"], p["column"]) for p in result["problems"]] == [
        ("設問", 3, "A"),
        ("設問", 4, "E"),
    ]
    ws = open_workspace(data)
    try:
        assert loaded_definitions(ws.store) == []
    finally:
        ws.close()


def test_load_prints_what_changed(
    capsys: pytest.CaptureFixture[str], data: Path, definition_file: Path
) -> None:
    code, out, _ = run(capsys, data, "load", str(definition_file))
    assert code == 0 and "R6 (2024) の定義にしました" in out and "設問の変更はありません" in out
    code, out, _ = run(capsys, data, "load", str(definition_file))
    assert code == 0 and "変更なし" in out
    reword(definition_file, 2, "回答される課・室の名前を教えてください。")
    code, out, _ = run(capsys, data, "load", str(definition_file), "--json")
    result = json.loads(out)
    assert code == 0 and result["loaded"] is True and result["unchanged"] is False
    assert result["changes"] == [
        {
            "code": "Q1-1",
            "what": "text",
            "detail": "「回答される部署名を教えてください。」→"
            "「回答される課・室の名前を教えてください。」",
        }
    ]
    code, out, _ = run(capsys, data, "list", "--json")
    listed = json.loads(out)
    assert [(d["origin"], d["current"], d["questions"]) for d in listed] == [
        ("loaded", True, 66),
        ("loaded", False, 66),
        ("shipped", False, 66),
    ]


def test_load_of_a_bad_file_prints_its_problems_and_exits_1(
    capsys: pytest.CaptureFixture[str], data: Path, definition_file: Path
) -> None:
    wb = openpyxl.load_workbook(definition_file)
    wb["設定"]["B2"] = "来年"
    wb.save(definition_file)
    code, out, err = run(capsys, data, "load", str(definition_file))
    assert code == 1
    assert out.startswith("設定 2 行目 B 列: 年度「来年」が読めません")
    assert "読み込みませんでした" in err


def test_an_advisors_load_is_an_error_line(
    capsys: pytest.CaptureFixture[str], data: Path, ws: Workspace, definition_file: Path
) -> None:
    ws.store.set_meta(META_SYNC_ROLE, "advisor")
    code, _, err = run(capsys, data, "load", str(definition_file))
    assert code == 2
    assert err.startswith("dxdesk: エラー: 調査の定義を読み込めるのは事務局")
    assert err.count("\n") == 1


def test_check_notes_a_choice_list_no_question_uses(
    capsys: pytest.CaptureFixture[str], data: Path, definition_file: Path
) -> None:
    wb = openpyxl.load_workbook(definition_file)
    wb["選択肢"].append(["spare", "x", "予備"])
    wb.save(definition_file)
    code, out, _ = run(capsys, data, "check", str(definition_file))
    assert code == 0 and "問題はありません" in out
    assert "注意: 選択肢リスト「spare」はどの設問にも使われていません" in out
    code, out, _ = run(capsys, data, "check", str(definition_file), "--json")
    assert code == 0 and json.loads(out)["notes"] == [
        "選択肢リスト「spare」はどの設問にも使われていません（そのままでも読み込めます）"
    ]


@pytest.mark.parametrize("year", ["R6", "2030"])
def test_export_round_trips_through_check(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, year: str
) -> None:
    path = tmp_path / f"{year}.xlsx"
    code, out, _ = run(capsys, data, "export", "--fiscal-year", year, "-o", str(path))
    assert code == 0 and str(path) in out
    result = read_definition_workbook(path, catalog=None)
    assert result.problems == []
    if year == "R6":
        shipped = shipped_definition(2024)
        assert shipped is not None and result.definition == shipped.definition
    else:  # no definition for the year: the catalog's items alone
        assert result.definition is not None and result.definition.fiscal_year == 2030
        assert [q.item for q in result.definition.questions] == list(load_catalog().codes)
    code, out, _ = run(capsys, data, "check", str(path))
    assert code == 0


def test_export_of_a_loaded_definition_gives_it_back(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, definition_file: Path
) -> None:
    reword(definition_file, 2, "所属を教えてください。")
    assert run(capsys, data, "load", str(definition_file))[0] == 0
    path = tmp_path / "back.xlsx"
    code, out, _ = run(capsys, data, "export", "--fiscal-year", "2024", "-o", str(path))
    assert code == 0 and "読み込み済みの定義（調査定義.xlsx）" in out
    back = read_definition_workbook(path, catalog=None).definition
    assert back is not None and back.by_code["Q1-1"].text == "所属を教えてください。"
    assert back == read_definition_workbook(definition_file, catalog=None).definition
