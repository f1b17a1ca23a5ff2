"""A survey definition written as the workbook the secretariat edits (and
imports/definition_workbook.py reads back to the same definition)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dxdesk.domain.fiscal_year import format_fiscal_year_ja
from dxdesk.domain.survey_definition import QUESTION_TYPES, SurveyDefinition
from dxdesk.imports.definition_sheets import (
    CHOICE_COLUMNS,
    CHOICES_SHEET,
    MARK,
    NOTE_KEY,
    QUESTION_COLUMNS,
    QUESTIONS_SHEET,
    SETTINGS_KEYS,
    SETTINGS_SHEET,
)
from dxdesk.models.file_writing import replace_atomically

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CONFIRM_FILL = PatternFill("solid", fgColor="FFF2CC")  # a row still to be confirmed
# Column widths in Excel's character units (a full-width character counts two).
QUESTION_WIDTHS: Mapping[str, int] = {
    "code": 10,
    "page": 7,
    "section": 20,
    "text": 60,
    "type": 13,
    "item": 10,
    "choices": 16,
    "unit": 7,
    "required": 6,
    "help": 36,
    "to_confirm": 8,
}
WRAPPED = frozenset({"section", "text", "help", "label"})
TEXT_CELLS = frozenset({"code", "item", "choices", "list", "value"})  # "1-1" must stay text
VALIDATED_ROWS = 1_000  # the drop-downs reach past the last question, for rows added later


def write_definition_workbook(definition: SurveyDefinition, path: Path) -> Path:
    """Write ``definition`` to ``path`` (.xlsx) whole, or leave ``path`` as it was."""
    wb = Workbook()
    questions = wb.active
    assert questions is not None  # a new workbook has its sheet
    _fill(
        questions,
        QUESTIONS_SHEET,
        QUESTION_COLUMNS,
        [_question_cells(q.as_json()) for q in definition.questions],
        QUESTION_WIDTHS,
    )
    for row, question in enumerate(definition.questions, start=2):
        if question.to_confirm:
            for cell in questions[row]:
                cell.fill = CONFIRM_FILL
    _drop_down(questions, "type", list(QUESTION_TYPES.values()))
    for field in ("required", "to_confirm"):
        _drop_down(questions, field, [MARK])
    choices = wb.create_sheet(CHOICES_SHEET)
    rows = [
        {"list": name, "value": c.value, "label": c.label}
        for name, listed in definition.choice_lists.items()
        for c in listed
    ]
    _fill(choices, CHOICES_SHEET, CHOICE_COLUMNS, rows, {"list": 18, "value": 24, "label": 40})
    _settings(wb.create_sheet(SETTINGS_SHEET), definition)
    for ws in wb.worksheets:
        _no_formulas(ws)
    return replace_atomically(path, wb.save)


def _no_formulas(ws: Worksheet) -> None:
    """Text that begins with "=" stays text: the definition's words, never a formula to run."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"


def _question_cells(data: Mapping[str, Any]) -> dict[str, Any]:
    cells = dict(data)
    cells["type"] = QUESTION_TYPES[data["type"]]
    cells["required"] = MARK if data["required"] else None
    cells["to_confirm"] = MARK if data["to_confirm"] else None
    return cells


def _fill(
    ws: Worksheet,
    title: str,
    columns: Mapping[str, tuple[str, tuple[str, ...]]],
    rows: Sequence[Mapping[str, Any]],
    widths: Mapping[str, int],
) -> None:
    ws.title = title
    ws.append([header for header, _ in columns.values()])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in rows:
        ws.append([row.get(field) or None for field in columns])
    for index, field in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = widths.get(field, 12)
        for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
            if field in WRAPPED:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.alignment = Alignment(vertical="top")
            if field in TEXT_CELLS:
                cell.number_format = "@"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(ws.max_row, 2)}"


def _drop_down(ws: Worksheet, field: str, options: list[str]) -> None:
    letter = get_column_letter(list(QUESTION_COLUMNS).index(field) + 1)
    header = QUESTION_COLUMNS[field][0]
    check = DataValidation(
        type="list",
        formula1='"' + ",".join(options) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=header,
        error=f"{header}は一覧から選んでください",
    )
    ws.add_data_validation(check)
    check.add(f"{letter}2:{letter}{VALIDATED_ROWS}")


def _settings(ws: Worksheet, definition: SurveyDefinition) -> None:
    ws.append(["項目", "値"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    values = {
        "fiscal_year": definition.fiscal_year,
        "prefecture": definition.prefecture,
        "title": definition.title,
        "catalog_version": definition.catalog_version,
    }
    for key, (label, _) in SETTINGS_KEYS.items():
        ws.append([label, values[key] or None])
    ws["C2"] = format_fiscal_year_ja(definition.fiscal_year)
    ws["B5"].number_format = "@"  # 項目版 "2024" is a version, not a number
    ws.append([])
    for note in _notes(definition):
        ws.append([NOTE_KEY, note])
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 90
    ws.column_dimensions["C"].width = 14
    for (cell,) in ws.iter_rows(min_row=7, min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _notes(definition: SurveyDefinition) -> list[str]:
    notes = []
    to_confirm = [q.code for q in definition.questions if q.to_confirm]
    if to_confirm:
        notes.append(
            f"要確認 ○ の {len(to_confirm)} 問（黄色の行）は、事業の資料から組み立てた案です。"
            "設問文・形式・選択肢を事務局で確認し、確かめたら ○ を消してください。"
        )
    notes += [
        f"「{QUESTIONS_SHEET}」シート: 1 行に 1 問。列は見出しで探すので、順は自由です。"
        f"形式は {'、'.join(QUESTION_TYPES.values())} のどれか（一覧から選べます）。",
        "採点項目は、項目コードにアセスメント項目のコードを書き、設問文はアセスメント項目と"
        "同じにします。単一選択・複数選択は、選択肢リストに「選択肢」シートのリスト名を書きます。",
        f"「{CHOICES_SHEET}」シート: 1 行に 1 つの選択肢。値は保存される文字、表示は回答者が"
        "読む文字です（値が空欄なら表示を値にします）。",
        "編集したら dxdesk survey-definition check ファイル名 で確かめ、"
        "dxdesk survey-definition load ファイル名 でその年度の定義にします。",
    ]
    return notes
