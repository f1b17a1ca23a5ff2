"""The answer sheet (回答票) sent to municipalities, made from the year's survey definition: one
.xlsx with a column per question and each answer cell checked as Excel can check it.

The layout is a contract with the importer that reads the returned files:

- "記入方法": A1 title, B3 the fiscal year (int), B4 the catalog version, B5 the survey's title,
  then instructions and the list of questions (dxdesk/imports/template_guide.py).
- "回答": row 1 headers ("市町村コード", "市町村名", then :func:`question_header` per question
  in the definition's order from column C: f"{code} {text}", a number's unit 「（人）」 and
  「※」 for a required question after it), one row per municipality from row 2, codes stored
  as text. Each header's comment gives the question's page, section and how to answer it.
- "選択肢" (hidden): one column per drop-down list, its name in row 1 and its choices from
  row 2: each scale of the scored questions (f"{value} {label}", highest value first), はい・いいえ,
  and each single-choice list (its labels); the answer cells' list validations point here.

A multiple-choice answer is written as Microsoft Forms exports it: the chosen labels in one cell,
each followed by 「;」 (「A;B;」).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dxdesk.domain.catalog import Catalog
from dxdesk.domain.errors import DomainError
from dxdesk.domain.fiscal_year import format_fiscal_year, format_fiscal_year_ja
from dxdesk.domain.roster import Municipality, load_roster
from dxdesk.domain.survey_definition import (
    QUESTION_TYPES,
    Question,
    SurveyDefinition,
    catalog_definition,
    definition_problems,
)
from dxdesk.domain.survey_values import ANSWER_TEXT_LIMIT
from dxdesk.imports.template_guide import fill_instructions
from dxdesk.imports.template_layout import (
    ANSWER_FILL,
    ANSWERED_HEADER,
    ANSWERS_SHEET,
    BOX,
    CATALOG_VERSION_CELL,
    CHOICES_SHEET,
    CODE_HEADER,
    DATE_FORMAT,
    FIRST_ANSWER_ROW,
    FIRST_ITEM_COLUMN,
    FISCAL_YEAR_CELL,
    INSTRUCTIONS_SHEET,
    MULTIPLE_SEPARATOR,
    NAME_HEADER,
    REQUIRED_MARK,
    RESPONDENT_HEADER,
    SURVEY_TITLE_CELL,
    YES_NO_CHOICES,
    box,
    choice_labels,
    display_width,
    how_to_answer,
    number_bounds,
    print_setup,
    scale_choices,
    text_cell,
)
from dxdesk.models.file_writing import replace_atomically
from dxdesk.services.workspace import Workspace

__all__ = [
    "ANSWERED_HEADER",
    "ANSWERS_SHEET",
    "CATALOG_VERSION_CELL",
    "CHOICES_SHEET",
    "CODE_HEADER",
    "FIRST_ANSWER_ROW",
    "FIRST_ITEM_COLUMN",
    "FISCAL_YEAR_CELL",
    "INSTRUCTIONS_SHEET",
    "MULTIPLE_SEPARATOR",
    "NAME_HEADER",
    "REQUIRED_MARK",
    "RESPONDENT_HEADER",
    "SURVEY_TITLE_CELL",
    "YES_NO_CHOICES",
    "question_header",
    "scale_choices",
    "template_municipalities",
    "write_template",
]

_ITEM_WIDTH = 18
_MULTIPLE_WIDTH = 28
_TEXT_WIDTH = 40
_LINE_HEIGHT = 16  # points per wrapped header line
_MAX_ROW_HEIGHT = 409  # Excel's limit
# Excel's limits on a validation's messages; longer ones make it refuse to open the file.
_TITLE_LIMIT = 32
_MESSAGE_LIMIT = 255
# Alternate pages' headers take alternate tints, so the eye finds where a page begins.
_PAGE_FILLS = (PatternFill("solid", fgColor="D9E1F2"), PatternFill("solid", fgColor="E2EFDA"))
_TEXT_FORMAT = "@"  # stored as typed: 「001」 stays text
# Any day a survey asks about (a plan's date, a start of service) lies in this span; outside
# it the cell holds a typo (or a number Excel took for a date).
_FIRST_DATE = date(1900, 1, 1)
_LAST_DATE = date(2099, 12, 31)


def template_municipalities(workspace: Workspace) -> list[Municipality]:
    """The roster entries of the municipalities assigned on this device, in roster order."""
    assigned = {str(r["code"]) for r in workspace.municipalities.overview(assigned_only=True)}
    return [m for m in load_roster() if m.code in assigned]


def question_header(question: Question) -> str:
    """A question's column header: 「Q2-1 職員数（人）※」 — its code first, as the importer
    finds a column by its code."""
    header = f"{question.code} {question.text}"
    if question.type == "number" and question.unit:
        header += f"（{question.unit}）"
    return header + (REQUIRED_MARK if question.required else "")


def write_template(
    path: Path,
    *,
    definition: SurveyDefinition | None = None,
    catalog: Catalog,
    municipalities: Sequence[Municipality],
    fiscal_year: int,
) -> Path:
    """Write the answer sheet of ``definition`` (default: the catalog's scored items alone) to
    ``path``, all or nothing; DomainError for a definition that cannot make one, OSError when
    the file cannot be saved."""
    title = f"DX推進状況調査 回答票（{format_fiscal_year_ja(fiscal_year)}）"  # checks the year
    if definition is None:
        definition = catalog_definition(catalog, fiscal_year)
    _check(definition, catalog, fiscal_year)
    if not municipalities:
        raise DomainError("回答票に載せる市町村がありません（担当の市町村を確認してください）")
    wb = Workbook()
    wb.properties.title = f"DX推進状況調査 回答票 {format_fiscal_year(fiscal_year)}"
    wb.properties.creator = "DX Desk"
    assert wb.active is not None  # a new workbook has its one sheet
    fill_instructions(wb.active, definition, catalog, title)
    choices = wb.create_sheet(CHOICES_SHEET)
    lists = _fill_choices(choices, definition, catalog)
    answers = wb.create_sheet(ANSWERS_SHEET, 1)
    _fill_answers(answers, definition, catalog, municipalities, lists, title)
    choices.sheet_state = "hidden"
    choices.protection.sheet = True
    replace_atomically(path, wb.save)
    return path


def _check(definition: SurveyDefinition, catalog: Catalog, fiscal_year: int) -> None:
    if definition.fiscal_year != fiscal_year:
        raise DomainError(
            f"調査の定義は {format_fiscal_year(definition.fiscal_year)} のものです"
            f"（回答票は {format_fiscal_year(fiscal_year)}）。同じ年度の定義を使ってください"
        )
    problems = definition_problems(definition, catalog)
    if problems:
        raise DomainError("調査の定義から回答票を作れません: " + " / ".join(problems))


def _fill_choices(
    ws: Worksheet, definition: SurveyDefinition, catalog: Catalog
) -> dict[str, tuple[str, list[str]]]:
    """Write each drop-down's choices; return its list formula and choices by question code.

    A hidden range rather than an inline list: Excel caps inline lists at 255 characters and
    would split a label holding a comma.
    """
    columns: dict[tuple[str, str], str] = {}  # (kind, name) -> its formula
    lists: dict[str, tuple[str, list[str]]] = {}
    for question in definition.questions:
        drop_down = _drop_down(question, definition, catalog)
        if drop_down is None:
            continue
        key, name, choices = drop_down
        if key not in columns:
            col = len(columns) + 1
            text_cell(ws, 1, col, name)
            for row, choice in enumerate(choices, start=2):
                text_cell(ws, row, col, choice)
            letter = get_column_letter(col)
            columns[key] = f"'{CHOICES_SHEET}'!${letter}$2:${letter}${len(choices) + 1}"
        lists[question.code] = (columns[key], choices)
    return lists


def _drop_down(
    question: Question, definition: SurveyDefinition, catalog: Catalog
) -> tuple[tuple[str, str], str, list[str]] | None:
    """The list a question's drop-down offers (None for other types), with a key that a
    list shared by several questions is written once under, and the list's name."""
    if question.type == "scored" and question.item:
        scale = catalog.item(question.item).scale
        return ("scale", scale.id), scale.name, scale_choices(scale)
    if question.type == "yes_no":
        return ("yes_no", ""), QUESTION_TYPES["yes_no"], list(YES_NO_CHOICES)
    if question.type == "single" and question.choices:
        labels = choice_labels(definition, question)
        return ("list", question.choices), question.choices, labels
    return None


def _fill_answers(
    ws: Worksheet,
    definition: SurveyDefinition,
    catalog: Catalog,
    municipalities: Sequence[Municipality],
    lists: dict[str, tuple[str, list[str]]],
    title: str,
) -> None:
    questions = definition.questions
    identity = (CODE_HEADER, NAME_HEADER, RESPONDENT_HEADER, ANSWERED_HEADER)
    for col, header in enumerate(identity, start=1):
        box(text_cell(ws, 1, col, header), header=True)
    pages = [page for page, _section, _qs in definition.pages]
    widths = [10, 14, 14, 12]
    for col, question in enumerate(questions, start=FIRST_ITEM_COLUMN):
        cell = text_cell(ws, 1, col, question_header(question))
        box(cell, header=True)
        cell.fill = _PAGE_FILLS[pages.index(question.page) % 2]
        cell.comment = _header_comment(question, definition, catalog)
        widths.append(_width(question))
    last_row = FIRST_ANSWER_ROW + len(municipalities) - 1
    formats = [
        _TEXT_FORMAT,
        "General",
        _TEXT_FORMAT,
        DATE_FORMAT,
        *(_cell_format(q) for q in questions),
    ]
    for row, m in enumerate(municipalities, start=FIRST_ANSWER_ROW):
        text_cell(ws, row, 1, m.code)
        text_cell(ws, row, 2, m.name)
        for col, number_format in enumerate(formats, start=1):
            cell = ws.cell(row, col)
            cell.border, cell.number_format = BOX, number_format
            if col > 2:  # tint the cells to fill in
                cell.fill = ANSWER_FILL
                if col >= FIRST_ITEM_COLUMN and questions[col - FIRST_ITEM_COLUMN].type == "text":
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    validations: dict[tuple[str, ...], DataValidation] = {}
    answered = get_column_letter(FIRST_ITEM_COLUMN - 1)
    dated = _date_validation(definition)
    validations[("date",)] = dated
    ws.add_data_validation(dated)
    dated.add(f"{answered}{FIRST_ANSWER_ROW}:{answered}{last_row}")
    for col, question in enumerate(questions, start=FIRST_ITEM_COLUMN):
        made = _validation(question, definition, catalog, lists)
        if made is None:
            continue
        key, validation = made
        if key not in validations:
            validations[key] = validation
            ws.add_data_validation(validation)
        letter = get_column_letter(col)
        validations[key].add(f"{letter}{FIRST_ANSWER_ROW}:{letter}{last_row}")
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    headers = [str(c.value) for c in ws[1]]
    lines = max(math.ceil(display_width(h) / (w - 2)) for h, w in zip(headers, widths, strict=True))
    ws.row_dimensions[1].height = min(max(lines, 1) * _LINE_HEIGHT + 4, _MAX_ROW_HEIGHT)
    ws.freeze_panes = "C2"
    ws.print_title_rows = "1:1"
    ws.print_title_cols = "A:B"
    print_setup(ws, title, landscape=True)


def _width(question: Question) -> int:
    if question.type == "text":
        return _TEXT_WIDTH
    return _MULTIPLE_WIDTH if question.type == "multiple" else _ITEM_WIDTH


def _cell_format(question: Question) -> str:
    if question.type == "number":
        return "General"
    return DATE_FORMAT if question.type == "date" else _TEXT_FORMAT


def _header_comment(question: Question, definition: SurveyDefinition, catalog: Catalog) -> Comment:
    section = f"「{question.section}」" if question.section else ""
    lines = [f"ページ {question.page}{section}", how_to_answer(question, definition, catalog)]
    if question.required:
        lines.append(f"{REQUIRED_MARK} 必ず回答してください")
    if question.help:
        lines.append(question.help)
    comment = Comment("\n".join(lines), "DX Desk")
    comment.width, comment.height = 320, 160  # pixels: room for a few wrapped lines
    return comment


def _date_validation(definition: SurveyDefinition) -> DataValidation:
    first, last = int(to_excel(_FIRST_DATE)), int(to_excel(_LAST_DATE))
    return _make(
        type="date",
        operator="between",
        formula1=str(first),
        formula2=str(last),
        error_title="日付を入れてください",
        error=f"日付を {definition.fiscal_year}/4/1 の形で入れてください。",
    )


def _validation(
    question: Question,
    definition: SurveyDefinition,
    catalog: Catalog,
    lists: dict[str, tuple[str, list[str]]],
) -> tuple[tuple[str, ...], DataValidation] | None:
    """How Excel checks a question's cells, keyed so that questions checked alike share one
    validation (Excel slows with thousands of them)."""
    if question.code in lists:
        formula, choices = lists[question.code]
        return ("list", formula), _make(
            type="list",
            formula1=formula,
            error_title="一覧にない値です",
            error=f"セルの右の▼から選んでください（選択肢: {'／'.join(choices)}）。",
        )
    if question.type == "number":
        unit = f"（単位: {question.unit}）" if question.unit else ""
        example = f"「3{question.unit}」ではなく「3」" if question.unit else "「3」"
        low, high = number_bounds(question)  # the import refuses the same numbers
        if high is not None:
            return ("number", question.unit), _make(
                type="decimal",
                operator="between",
                formula1=str(low),
                formula2=str(high),
                error_title="数値を入れてください",
                error=f"{low}〜{high} の数値を、単位を付けずに入れてください{unit}。"
                f"例: {example}。",
            )
        return ("number", question.unit), _make(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1=str(low),
            error_title="数値を入れてください",
            error=f"{low} 以上の数値を、単位を付けずに入れてください{unit}。例: {example}。",
        )
    if question.type == "date":
        return ("date",), _date_validation(definition)
    if question.type == "multiple":
        return ("multiple", question.code), _make(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(ANSWER_TEXT_LIMIT),
            error_title="長すぎます",
            error=f"{ANSWER_TEXT_LIMIT} 文字までにしてください。",
            prompt_title=f"{question.code} 複数選択",
            prompt=how_to_answer(question, definition, catalog),
        )
    if question.type == "text":
        return ("text",), _make(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(ANSWER_TEXT_LIMIT),
            error_title="長すぎます",
            error=f"回答は {ANSWER_TEXT_LIMIT} 文字までにしてください。",
        )
    return None


def _make(
    *, error_title: str, error: str, prompt_title: str = "", prompt: str = "", **rule: str
) -> DataValidation:
    validation = DataValidation(
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_clip(error_title, _TITLE_LIMIT),
        error=_clip(error, _MESSAGE_LIMIT),
        **rule,  # openpyxl's keywords: type, operator, formula1…
    )
    if prompt:
        validation.showInputMessage = True
        validation.promptTitle = _clip(prompt_title, _TITLE_LIMIT)
        validation.prompt = _clip(prompt, _MESSAGE_LIMIT)
    return validation


def _clip(text: str, limit: int) -> str:
    """``text`` within Excel's limit, a cut marked with 「…」 (the full list is on 記入方法)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
