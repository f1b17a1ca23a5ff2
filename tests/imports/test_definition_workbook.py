"""The survey definition workbook: read back as written, every problem located by sheet, row and
column, hostile files refused, and the shipped R6 definition as the catalog and the JSON have it."""

from __future__ import annotations

import importlib.util
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.survey_definition import (
    QUESTION_TYPES,
    Choice,
    Question,
    SurveyDefinition,
    catalog_definition,
    definition_from_json,
)
from dxdesk.imports.definition_workbook import (
    DefinitionCheck,
    read_definition_workbook,
    write_definition_workbook,
)
from dxdesk.imports.survey import Problem
from dxdesk.imports.workbook import UNSAFE_XML, SurveyFileError
from dxdesk.resources import resource_path

CATALOG = load_catalog()
ROOT = Path(__file__).resolve().parents[2]
SHIPPED_XLSX = resource_path("survey", "definition-2024-wakayama.xlsx")
SHIPPED_JSON = resource_path("survey", "definition-2024-wakayama.json")
LISTS = {
    "staffing": (Choice("a", "専任の部署がある"), Choice("b", "兼任で担当している")),
    "fields": (Choice("防災", "防災"), Choice("子育て", "子育て"), Choice("交通", "交通")),
}
EXTRA = (
    Question("X1", 7, "体制", "推進体制を選んでください", "single", choices="staffing"),
    Question("X2", 7, "体制", "取り組む分野", "multiple", choices="fields", required=True),
    Question("X3", 7, "体制", "DX担当の職員数", "number", unit="人", help="兼任を含む"),
    Question("X4", 8, "要望", "CIO を任命していますか", "yes_no", to_confirm=True),
    Question("X5", 8, "要望", "回答日", "date"),
    Question("X6", 8, "要望", "ご意見", "text"),
)
SCORED_ROWS = len(CATALOG.items)  # rows 2.. hold the catalog's items, then EXTRA
X1_ROW = 2 + SCORED_ROWS  # the single choice question's row


def base_definition() -> SurveyDefinition:
    scored = catalog_definition(CATALOG, 2024, "和歌山県")
    return SurveyDefinition(
        2024, "和歌山県", "R6 調査", scored.questions + EXTRA, LISTS, CATALOG.version
    )


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_definition_workbook(base_definition(), tmp_path / "定義.xlsx")


def edit(path: Path, change: Callable[[openpyxl.Workbook], Any]) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def set_cells(path: Path, sheet: str, **cells: Any) -> Path:
    def change(wb: openpyxl.Workbook) -> None:
        for ref, value in cells.items():
            wb[sheet][ref] = value

    return edit(path, change)


def check(path: Path) -> DefinitionCheck:
    return read_definition_workbook(path, catalog=CATALOG)


def where(result: DefinitionCheck) -> list[tuple[str, int | None, str | None]]:
    return [(p.sheet, p.row, p.column) for p in result.problems]


def only_problem(result: DefinitionCheck) -> Problem:
    assert result.definition is None
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


def test_a_written_definition_reads_back_the_same(book: Path) -> None:
    result = check(book)
    assert result.problems == []
    assert result.definition == base_definition()
    assert len(result.sha256) == 64


def test_the_workbook_is_made_for_a_person(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["設問", "選択肢", "設定"]
    questions = wb["設問"]
    assert questions.freeze_panes == "A2"
    assert questions["A1"].font.b and questions["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert questions["D2"].alignment.wrap_text
    assert questions.column_dimensions["D"].width >= 40
    [type_list] = [v for v in questions.data_validations.dataValidation if "E2:E" in str(v.sqref)]
    assert all(label in type_list.formula1 for label in QUESTION_TYPES.values())
    assert questions["A2"].number_format == "@"  # "1-1" stays text when edited in Excel
    assert [c.value for c in wb["設定"]["A"]][:5] == [
        "項目",
        "年度",
        "都道府県",
        "調査名",
        "項目版",
    ]
    # no temporary file is left beside it
    assert [p.name for p in book.parent.iterdir()] == [book.name]


def test_duplicate_codes_are_located(book: Path) -> None:
    set_cells(book, "設問", A3="0-1")
    problem = only_problem(check(book))
    assert (problem.sheet, problem.row, problem.column) == ("設問", 3, "A")
    assert "0-1" in problem.message and "2 行目" in problem.message


def test_a_choice_list_that_does_not_exist_is_located(book: Path) -> None:
    set_cells(book, "設問", **{f"G{X1_ROW}": "nope"})
    problem = only_problem(check(book))
    assert (problem.sheet, problem.row, problem.column) == ("設問", X1_ROW, "G")
    assert "nope" in problem.message


def test_a_scored_item_missing_from_the_catalog_is_located(book: Path) -> None:
    set_cells(book, "設問", F2="9-9")
    result = check(book)
    assert ("設問", 2, "F") in where(result)
    assert "9-9" in result.problems[0].message


def test_a_scored_question_worded_otherwise_than_the_catalog_is_a_problem(book: Path) -> None:
    set_cells(book, "設問", D2="DXの定義はありますか")
    problem = only_problem(check(book))
    assert (problem.sheet, problem.row, problem.column) == ("設問", 2, "D")
    assert CATALOG.items[0].question in problem.message


def test_a_scored_question_differing_only_in_spaces_takes_the_catalogs_text(book: Path) -> None:
    set_cells(book, "設問", D2="  " + CATALOG.items[0].question + " ")
    result = check(book)
    assert result.problems == []
    assert result.definition is not None
    assert result.definition.questions[0].text == CATALOG.items[0].question


def test_an_assessment_item_without_its_question_is_a_problem(book: Path) -> None:
    edit(book, lambda wb: wb["設問"].delete_rows(2))
    problem = only_problem(check(book))
    assert problem.sheet == "設問" and problem.value == CATALOG.items[0].code


def test_an_unknown_type_is_located(book: Path) -> None:
    set_cells(book, "設問", **{f"E{X1_ROW}": "ラジオボタン"})
    problem = only_problem(check(book))
    assert (problem.sheet, problem.row, problem.column) == ("設問", X1_ROW, "E")
    assert "ラジオボタン" in problem.message and "単一選択" in problem.message


@pytest.mark.parametrize("page", [2.5, "二", 0, None])
def test_a_page_that_is_not_a_whole_number_is_located(book: Path, page: object) -> None:
    set_cells(book, "設問", B5=page)
    problem = only_problem(check(book))
    assert (problem.sheet, problem.row, problem.column) == ("設問", 5, "B")


def test_pages_out_of_order_are_located(book: Path) -> None:
    set_cells(book, "設問", **{f"B{X1_ROW}": 1})
    problem = only_problem(check(book))
    assert (problem.sheet, problem.row, problem.column) == ("設問", X1_ROW, "B")


def test_a_choice_list_with_duplicate_values_is_located(book: Path) -> None:
    edit(book, lambda wb: wb["選択肢"].append(["staffing", "a", "外部に委託している"]))
    problem = only_problem(check(book))
    last = 2 + sum(len(c) for c in LISTS.values())
    assert (problem.sheet, problem.row, problem.column) == ("選択肢", last, "B")
    assert "2 行目" in problem.message


def test_a_missing_required_column_is_a_header_problem(book: Path) -> None:
    set_cells(book, "設問", E1="種類")
    problem = only_problem(check(book))
    assert (problem.sheet, problem.row) == ("設問", 1) and "形式" in problem.message


@pytest.mark.parametrize(
    ("sheet", "expected"), [("設定", "設定"), ("選択肢", "選択肢"), ("設問", "設問")]
)
def test_a_missing_sheet_is_named(book: Path, sheet: str, expected: str) -> None:
    edit(book, lambda wb: wb.remove(wb[sheet]))
    result = check(book)
    assert result.definition is None
    assert any(p.sheet == expected and "シート" in p.message for p in result.problems)


def test_fiscal_year_missing_or_unreadable_is_located(book: Path, tmp_path: Path) -> None:
    other = shutil.copy(book, tmp_path / "other.xlsx")
    set_cells(book, "設定", B2="来年")
    problem = only_problem(check(book))
    assert (problem.sheet, problem.row, problem.column) == ("設定", 2, "B")
    set_cells(Path(other), "設定", A2="メモ")
    problem = only_problem(check(Path(other)))
    assert problem.sheet == "設定" and "年度" in problem.message


def test_r6_and_a_full_width_year_are_read(book: Path) -> None:
    set_cells(book, "設定", B2="Ｒ６")
    result = check(book)
    assert result.definition is not None and result.definition.fiscal_year == 2024


def test_every_problem_is_reported_at_once(book: Path) -> None:
    set_cells(book, "設問", A3="0-1", **{f"E{X1_ROW}": "?", f"I{X1_ROW + 1}": "たぶん"})
    set_cells(book, "設定", B5="1999")
    assert set(where(check(book))) == {
        ("設定", 5, "B"),
        ("設問", 3, "A"),
        ("設問", X1_ROW, "E"),
        ("設問", X1_ROW + 1, "I"),
    }


def test_a_missing_assessment_item_is_reported_beside_other_problems(book: Path) -> None:
    edit(book, lambda wb: wb["設問"].delete_rows(2))  # item 0-1's row
    set_cells(book, "設問", **{f"E{X1_ROW - 1}": "ラジオボタン"})
    result = check(book)
    assert set(where(result)) == {("設問", X1_ROW - 1, "E"), ("設問", None, None)}
    assert [p.value for p in result.problems if p.row is None] == [CATALOG.items[0].code]


def test_a_semicolon_in_a_multiple_choice_label_is_located(book: Path) -> None:
    # 「fields」 (rows 4-6) is used by the multiple choice X2; 「staffing」 (rows 2-3) by a single.
    set_cells(book, "選択肢", C5="子育て;教育", C3="兼任;委託")
    problem = only_problem(check(book))
    assert (problem.sheet, problem.row, problem.column) == ("選択肢", 5, "C")
    assert "「;」は使えません" in problem.message


def test_a_value_equal_to_another_choices_label_is_located(book: Path) -> None:
    set_cells(book, "選択肢", B3="専任の部署がある")
    problem = only_problem(check(book))
    assert (problem.sheet, problem.row, problem.column) == ("選択肢", 3, "B")
    assert "2 行目の表示と同じです" in problem.message


def test_a_choice_list_no_question_uses_is_noted(book: Path) -> None:
    edit(book, lambda wb: wb["選択肢"].append(["spare", "x", "予備"]))
    result = check(book)
    assert result.ok and result.notes == [
        "選択肢リスト「spare」はどの設問にも使われていません（そのままでも読み込めます）"
    ]


def test_columns_are_found_by_english_headers_in_any_order(tmp_path: Path) -> None:
    definition = base_definition()
    wb = openpyxl.Workbook()
    survey = wb.active
    assert survey is not None
    survey.title = "questions"
    headers = ["type", "question", "page", "code", "item", "choices", "unit", "notes"]
    survey.append(headers)
    for q in definition.questions:
        survey.append([q.type, q.text, q.page, q.code, q.item, q.choices, q.unit, "メモ"])
    choices = wb.create_sheet("choices")
    choices.append(["label", "list_name", "value"])
    for name, listed in LISTS.items():
        for c in listed:
            choices.append([c.label, name, c.value])
    wb.create_sheet("settings").append(["fiscal_year", 2024])
    wb.save(tmp_path / "english.xlsx")
    result = check(tmp_path / "english.xlsx")
    assert result.problems == []
    assert result.definition is not None
    assert result.definition.fiscal_year == 2024
    assert [q.code for q in result.definition.questions] == [q.code for q in definition.questions]
    assert result.definition.by_code["X3"].unit == "人"
    assert result.definition.choice_lists == LISTS


def test_a_doctype_entity_is_refused_clearly(book: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(hostile, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                doctype = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>'
                head, mark, rest = data.partition(b"?>")
                data = head + mark + doctype + rest if mark else doctype + data
            target.writestr(info, data)
    with pytest.raises(SurveyFileError) as refused:
        check(hostile)
    assert str(refused.value) == UNSAFE_XML


def test_a_csv_is_refused_with_what_to_use(tmp_path: Path) -> None:
    path = tmp_path / "定義.csv"
    path.write_text("設問番号,ページ\n", encoding="utf-8")
    with pytest.raises(SurveyFileError, match="xlsx"):
        check(path)


# -- the shipped R6 definition -----------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> SurveyDefinition:
    result = read_definition_workbook(SHIPPED_XLSX, catalog=None)
    assert result.problems == []
    assert result.definition is not None
    return result.definition


def test_the_shipped_workbook_is_the_shipped_json(shipped: SurveyDefinition) -> None:
    data = json.loads(SHIPPED_JSON.read_text(encoding="utf-8"))
    assert definition_from_json(data) == shipped
    expected = json.dumps(shipped.as_json(), ensure_ascii=False, indent=1, sort_keys=True)
    assert SHIPPED_JSON.read_text(encoding="utf-8") == expected + "\n"


def test_the_shipped_definition_is_the_scripts_table(shipped: SurveyDefinition) -> None:
    script = _script()
    assert script.build_definition(CATALOG) == shipped


def test_the_shipped_definition_has_66_questions_over_9_pages(shipped: SurveyDefinition) -> None:
    assert (shipped.fiscal_year, shipped.prefecture) == (2024, "和歌山県")
    assert len(shipped.questions) == 66
    assert [page for page, _, _ in shipped.pages] == list(range(1, 10))
    assert {q.type for q in shipped.questions} == set(QUESTION_TYPES)
    assert all(q.unit for q in shipped.questions if q.type == "number")


def test_its_scored_questions_are_the_catalogs_exactly(shipped: SurveyDefinition) -> None:
    scored = [q for q in shipped.questions if q.type == "scored"]
    assert sorted(q.code for q in scored) == sorted(CATALOG.codes)
    for question in scored:
        item = CATALOG.item(question.code)
        assert (question.item, question.text) == (item.code, item.question)
        assert not question.to_confirm
    modelled = [q for q in shipped.questions if q.type != "scored"]
    assert len(modelled) == 40 and all(q.to_confirm for q in modelled)


def test_its_settings_sheet_says_what_is_to_be_confirmed() -> None:
    wb = openpyxl.load_workbook(SHIPPED_XLSX)
    notes = [str(row[1].value) for row in wb["設定"].iter_rows() if row[0].value == "注記"]
    assert any("要確認" in note and "40 問" in note for note in notes)


def _script() -> ModuleType:
    path = ROOT / "scripts" / "make_survey_definition.py"
    spec = importlib.util.spec_from_file_location("make_survey_definition", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- any definition round-trips ---------------------------------------------------------------

_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs")),
    min_size=1,
    max_size=30,
)
_code = st.from_regex(r"\AQ[A-Za-z0-9_.\-]{0,10}\Z")
_choice_text = _text.filter(lambda text: ";" not in text)


@st.composite
def definitions(draw: st.DrawFn) -> SurveyDefinition:
    list_names = draw(
        st.lists(st.from_regex(r"\A[a-z][a-z0-9_]{0,8}\Z"), min_size=1, max_size=3, unique=True)
    )
    lists = {
        name: tuple(
            Choice(v, lab)
            for v, lab in zip(
                # A 値 never another choice's 表示, and no 「;」 (Forms' separator): problems.
                draw(st.lists(_choice_text.map("v".__add__), min_size=1, max_size=4, unique=True)),
                draw(
                    st.lists(_choice_text.map("表示".__add__), min_size=4, max_size=4, unique=True)
                ),
                strict=False,
            )
        )
        for name in list_names
    }
    extra = []
    for n, code in enumerate(draw(st.lists(_code, min_size=1, max_size=6, unique=True))):
        kind = draw(st.sampled_from([k for k in QUESTION_TYPES if k != "scored"]))
        extra.append(
            Question(
                code,
                7 + n,
                draw(_text),
                draw(_text),
                kind,
                choices=draw(st.sampled_from(list_names))
                if kind in ("single", "multiple")
                else None,
                unit=draw(st.sampled_from(["", "人", "件"])) if kind == "number" else "",
                required=draw(st.booleans()),
                help=draw(st.sampled_from(["", "補足"])),
                to_confirm=draw(st.booleans()),
            )
        )
    scored = catalog_definition(CATALOG, 2024).questions
    year = draw(st.integers(2019, 2030))
    return SurveyDefinition(
        year, draw(_text), draw(_text), scored + tuple(extra), lists, CATALOG.version
    )


@settings(
    max_examples=10,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # a failure is reported as found, not shrunk
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(definition=definitions())
@example(
    definition=SurveyDefinition(2024, "=1+1", "=A1", base_definition().questions, LISTS, "2024")
)
def test_any_definition_round_trips(tmp_path: Path, definition: SurveyDefinition) -> None:
    path = write_definition_workbook(definition, tmp_path / "round.xlsx")
    result = check(path)
    assert result.problems == []
    assert result.definition == definition
