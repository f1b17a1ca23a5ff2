"""The answer sheet made from a survey definition: every question in its order, each answer cell
checked as its type asks, read back from the written file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.errors import DomainError
from dxdesk.domain.roster import load_roster
from dxdesk.domain.survey_definition import Question, SurveyDefinition, definition_from_json
from dxdesk.imports.template import (
    ANSWERS_SHEET,
    CHOICES_SHEET,
    FIRST_ITEM_COLUMN,
    INSTRUCTIONS_SHEET,
    question_header,
    write_template,
)

FY = 2024
CATALOG = load_catalog()
ROSTER = load_roster()[:3]
STAFFING = ["専任の部署がある", "兼任の担当者がいる", "外部人材を活用している", "その他"]


def _question(code: str, page: int, section: str, text: str, kind: str, **more: Any) -> Any:
    return {"code": code, "page": page, "section": section, "text": text, "type": kind, **more}


def _definition(questions: list[dict[str, Any]], **lists: list[str]) -> SurveyDefinition:
    return definition_from_json(
        {
            "fiscal_year": FY,
            "prefecture": "和歌山県",
            "title": "R6 DX推進状況調査",
            "catalog_version": CATALOG.version,
            "questions": questions,
            "choice_lists": {
                name: [{"value": f"v{i}", "label": label} for i, label in enumerate(labels)]
                for name, labels in lists.items()
            },
        }
    )


QUESTIONS = [
    _question("Q1", 1, "DX推進体制", "推進体制はどれですか", "single", choices="staffing"),
    _question("Q2", 1, "DX推進体制", "活用している人材（複数）", "multiple", choices="staffing"),
    _question("Q3", 2, "人材", "DX担当の職員数", "number", unit="人", required=True),
    _question("Q4", 2, "人材", "CIO を任命していますか", "yes_no", help="補佐官を含みます"),
    _question("Q5", 3, "計画", "計画を策定した日", "date"),
    _question("Q6", 3, "計画", "ご意見", "text"),
    _question("0-1", 4, "アセスメント", "首長のDX推進への関与", "scored", item="0-1"),
    _question("D1", 4, "アセスメント", "県の指標", "scored", item="D1", required=True),
    _question("Q7", 5, "くらしづくり", "オンライン申請の件数", "number", unit="件"),
    _question("Q8", 5, "くらしづくり", "オンライン申請の割合", "number", unit="%"),
]
DEFINITION = _definition(QUESTIONS, staffing=STAFFING)
COLUMNS = {
    q["code"]: chr(ord("E") + i) for i, q in enumerate(QUESTIONS)
}  # E … N (after 回答者, 回答日)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("template") / "回答票.xlsx"
    write_template(
        path, definition=DEFINITION, catalog=CATALOG, municipalities=ROSTER, fiscal_year=FY
    )
    return load_workbook(path)


def _validation_of(ws: Worksheet, cell: str) -> DataValidation | None:
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) <= 1
    return found[0] if found else None


def _list_choices(book: Any, formula: str) -> list[str]:
    sheet, cells = formula.split("!")
    return [row[0].value for row in book[sheet.strip("'")][cells.replace("$", "")]]


def test_every_question_in_order_with_unit_and_required_mark(book: Any) -> None:
    ws = book[ANSWERS_SHEET]
    headers = [c.value for c in ws[1]]
    assert headers == [
        "市町村コード",
        "市町村名",
        "回答者",
        "回答日",
        "Q1 推進体制はどれですか",
        "Q2 活用している人材（複数）",
        "Q3 DX担当の職員数（人）※",
        "Q4 CIO を任命していますか",
        "Q5 計画を策定した日",
        "Q6 ご意見",
        "0-1 首長のDX推進への関与",
        "D1 県の指標※",
        "Q7 オンライン申請の件数（件）",
        "Q8 オンライン申請の割合（%）",
    ]
    assert headers[4:] == [question_header(q) for q in DEFINITION.questions]
    assert [(r[0], r[1]) for r in ws.iter_rows(min_row=2, values_only=True)] == [
        (m.code, m.name) for m in ROSTER
    ]
    # The page and section are in the header's comment, and alternate pages' tints differ.
    assert ws["E1"].comment.text.startswith("ページ 1「DX推進体制」")
    assert ws["G1"].comment.text.startswith("ページ 2「人材」")
    assert "必ず回答してください" in ws["G1"].comment.text
    assert "補佐官を含みます" in ws["H1"].comment.text
    fills = [ws[f"{COLUMNS[code]}1"].fill.fgColor.rgb for code in ("Q1", "Q2", "Q3", "Q5")]
    assert fills[0] == fills[1] == fills[3] != fills[2]


def test_single_choice_yes_no_and_scored_questions_have_their_drop_downs(book: Any) -> None:
    ws = book[ANSWERS_SHEET]
    expected = {
        "Q1": STAFFING,
        "Q4": ["はい", "いいえ"],
        "0-1": [
            "3 推進している",
            "2 推進予定",
            "1 時期は未定だが推進を検討中",
            "0 推進する予定はない",
        ],
        "D1": ["3 実績が1件以上ある", "0 実績が無い"],
    }
    for code, choices in expected.items():
        letter = COLUMNS[code]
        dv = _validation_of(ws, f"{letter}2")
        assert dv is not None and dv.type == "list", code
        assert _list_choices(book, dv.formula1) == choices
        assert dv.showErrorMessage and choices[0] in dv.error
        assert f"{letter}2:{letter}4" in str(dv.sqref).split()
    assert book[CHOICES_SHEET].sheet_state == "hidden"
    # The choices sheet holds each list once, each under its name.
    assert [c.value for c in book[CHOICES_SHEET][1]] == [
        "staffing",
        "はい・いいえ",
        "総務省項目",
        "和歌山県項目",
    ]


def test_multiple_choice_is_typed_forms_style_with_the_choices_shown(book: Any) -> None:
    ws = book[ANSWERS_SHEET]
    dv = _validation_of(ws, "F3")
    assert dv is not None and dv.type != "list"  # no drop-down: several choices go in one cell
    assert dv.showInputMessage
    assert all(label in dv.prompt for label in STAFFING)
    assert "「;」で区切って" in dv.prompt and "専任の部署がある;兼任の担当者がいる;" in dv.prompt
    assert len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32
    assert ws.column_dimensions["F"].width > ws.column_dimensions["E"].width
    assert ws["F2"].number_format == "@"


def test_numbers_dates_and_text_are_checked(book: Any) -> None:
    ws = book[ANSWERS_SHEET]
    people = _validation_of(ws, "G2")
    assert people is not None
    assert (people.type, people.operator, people.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert "単位: 人" in people.error and "「3人」ではなく「3」" in people.error
    cases = _validation_of(ws, "M4")
    assert cases is not None and cases is not people and "単位: 件" in cases.error
    share = _validation_of(ws, "N2")
    assert share is not None and (share.operator, share.formula1, share.formula2) == (
        "between",
        "0",
        "100",
    )
    assert "0〜100 の数値" in share.error
    day = _validation_of(ws, "I3")
    assert day is not None and (day.type, day.operator) == ("date", "between")
    assert (day.formula1, day.formula2) == ("1", "73050")  # 1900-01-01 … 2099-12-31
    assert ws["I2"].number_format == "yyyy/m/d"
    text = _validation_of(ws, "J2")
    assert text is not None and (text.type, text.operator) == ("textLength", "lessThanOrEqual")
    assert ws["J2"].alignment.wrap_text
    assert ws.column_dimensions["J"].width == 40
    # Identity columns and the header row are not validated.
    assert all(_validation_of(ws, cell) is None for cell in ("A2", "B2", "C2", "E1", "E5"))


def test_the_instructions_list_every_question_by_page(book: Any) -> None:
    info = book[INSTRUCTIONS_SHEET]
    assert (info["A3"].value, info["B3"].value, info["B4"].value) == ("年度", FY, CATALOG.version)
    assert info["B5"].value == "R6 DX推進状況調査"
    rows = list(info.iter_rows(values_only=True))
    heading = rows.index(("ページ", "区分", "設問番号", "設問", "回答のしかた", "必須", "説明"))
    listed = rows[heading + 1 :]
    assert [r[2] for r in listed] == [q.code for q in DEFINITION.questions]
    assert [r[0] for r in listed] == [q.page for q in DEFINITION.questions]
    assert [r[2] for r in listed if r[5] == "※"] == ["Q3", "D1"]
    by_code = {r[2]: r for r in listed}
    assert by_code["Q2"][4].startswith("当てはまるものをすべて、「;」で区切って1つのセルに")
    assert by_code["Q3"][4] == "0 以上の数値を、単位を付けずに（単位: 人）"
    assert by_code["Q8"][4] == "0〜100の数値を、単位を付けずに（単位: %）"
    assert by_code["Q4"][6] == "補佐官を含みます"
    steps = "\n".join(str(r[0]) for r in rows[:heading] if r[0])
    assert "見出しに「※」のある設問は必ず回答してください" in steps
    assert "D1（和歌山県独自指標）は、実績が1件以上あれば「3 実績が1件以上ある」" in steps


def test_66_questions_over_9_pages(tmp_path: Path) -> None:
    scored = [
        _question(
            item.code, 1 + i // 4, f"区分{1 + i // 4}", item.question, "scored", item=item.code
        )
        for i, item in enumerate(CATALOG.items)
    ]
    kinds = ["single", "multiple", "number", "yes_no", "date", "text"]
    others = [
        _question(
            f"Q{n}",
            7 + n % 3,
            "くらし・産業・社会",
            f"設問 {n} " + "の説明が長い設問文" * 8,
            kinds[n % 6],
            **({"choices": "many"} if kinds[n % 6] in ("single", "multiple") else {}),
        )
        for n in range(40)
    ]
    many = [f"選択肢その{n}（長めの表示名です）" for n in range(30)]
    definition = _definition(scored + others, many=many)
    assert len(definition.questions) == 66 and len(definition.pages) == 9
    path = write_template(
        tmp_path / "回答票.xlsx",
        definition=definition,
        catalog=CATALOG,
        municipalities=load_roster(),
        fiscal_year=FY,
    )
    book = load_workbook(path)
    ws = book[ANSWERS_SHEET]
    assert [c.value for c in ws[1]][4:] == [question_header(q) for q in definition.questions]
    assert ws.max_row == 31 and ws.max_column == 70  # 4 identity columns + 66
    assert ws.row_dimensions[1].height <= 409
    for dv in ws.data_validations.dataValidation:
        assert len(dv.error or "") <= 255 and len(dv.prompt or "") <= 255
    prompts = [dv.prompt for dv in ws.data_validations.dataValidation if dv.prompt]
    assert len(prompts) == sum(1 for q in definition.questions if q.type == "multiple")
    assert all(p.endswith("…") for p in prompts)  # 30 choices do not fit: the rest is on 記入方法
    single = next(q for q in definition.questions if q.type == "single")
    dv = _validation_of(
        ws, f"{get_column_letter(FIRST_ITEM_COLUMN + definition.questions.index(single))}2"
    )
    assert dv is not None and _list_choices(book, dv.formula1) == many
    # The instructions list every choice, as the clipped message cannot.
    listed = [r for r in book[INSTRUCTIONS_SHEET].iter_rows(values_only=True) if r[2] == "Q1"]
    assert all(label in listed[0][4] for label in many)


def test_labels_stay_text_and_control_characters_are_dropped(tmp_path: Path) -> None:
    definition = _definition(
        [_question("Q1", 1, "", "=1+1 を\x07計算", "single", choices="odd")],
        odd=["=SUM(A1:A9)", "+81 電話", "普通"],
    )
    path = write_template(
        tmp_path / "回答票.xlsx",
        definition=definition,
        catalog=CATALOG,
        municipalities=ROSTER,
        fiscal_year=FY,
    )
    book = load_workbook(path)
    assert book[ANSWERS_SHEET]["E1"].value == "Q1 =1+1 を計算"
    assert book[ANSWERS_SHEET]["E1"].data_type == "s"
    assert [c.value for c in book[CHOICES_SHEET]["A"]] == ["odd", "=SUM(A1:A9)", "+81 電話", "普通"]
    assert all(c.data_type == "s" for c in book[CHOICES_SHEET]["A"])


def test_a_definition_of_another_year_or_with_an_unknown_item_is_refused(tmp_path: Path) -> None:
    catalog = CATALOG
    target = tmp_path / "回答票.xlsx"
    with pytest.raises(DomainError, match=r"R6 \(2024\) のものです.*R7 \(2025\)"):
        write_template(
            target, definition=DEFINITION, catalog=catalog, municipalities=ROSTER, fiscal_year=2025
        )
    unknown = SurveyDefinition(FY, "和歌山県", "", (Question("Z", 1, "", "?", "scored", "9-9"),))
    with pytest.raises(DomainError, match="項目 9-9 はアセスメント項目にありません"):
        write_template(
            target, definition=unknown, catalog=catalog, municipalities=ROSTER, fiscal_year=FY
        )
    assert list(tmp_path.iterdir()) == []
