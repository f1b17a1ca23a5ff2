"""The answer sheet (回答票) sent to municipalities: one .xlsx with a drop-down per answer cell.

The layout is a contract with the importer that reads the returned files:

- "記入方法": A1 title, B3 the fiscal year (int), B4 the catalog version, then instructions.
- "回答": row 1 headers ("市町村コード", "市町村名", then f"{code} {question}" per item in
  catalog order from column C), one row per municipality from row 2, codes stored as text.
- "選択肢" (hidden): one column per scale, its name in row 1 and f"{value} {label}" from row 2,
  highest value first; the answer cells' list validations point here.
"""

from __future__ import annotations

import math
import os
import tempfile
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dxdesk.domain.catalog import Catalog, Scale, describe_values
from dxdesk.domain.errors import DomainError
from dxdesk.domain.fiscal_year import format_fiscal_year, format_fiscal_year_ja
from dxdesk.domain.roster import Municipality, load_roster
from dxdesk.services.workspace import Workspace

INSTRUCTIONS_SHEET = "記入方法"
ANSWERS_SHEET = "回答"
CHOICES_SHEET = "選択肢"
FISCAL_YEAR_CELL = "B3"
CATALOG_VERSION_CELL = "B4"
CODE_HEADER = "市町村コード"
NAME_HEADER = "市町村名"
FIRST_ITEM_COLUMN = 3  # C
FIRST_ANSWER_ROW = 2

_ITEM_WIDTH = 18
_LINE_HEIGHT = 16  # points per wrapped header line
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_ANSWER_FILL = PatternFill("solid", fgColor="FFF9E5")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def scale_choices(scale: Scale) -> list[str]:
    """A scale's choices as the drop-down lists them, highest value first: "3 推進している"."""
    return [f"{o.value} {o.label}" for o in sorted(scale.options, key=lambda o: -o.value)]


def template_municipalities(workspace: Workspace) -> list[Municipality]:
    """The roster entries of the municipalities assigned on this device, in roster order."""
    assigned = {str(r["code"]) for r in workspace.municipalities.overview(assigned_only=True)}
    return [m for m in load_roster() if m.code in assigned]


def write_template(
    path: Path,
    *,
    catalog: Catalog,
    municipalities: Sequence[Municipality],
    fiscal_year: int,
) -> Path:
    """Write the answer sheet to ``path``, all or nothing; OSError when it cannot be saved."""
    title = f"DX推進状況調査 回答票（{format_fiscal_year_ja(fiscal_year)}）"  # checks the year
    if not municipalities:
        raise DomainError("回答票に載せる市町村がありません（担当の市町村を確認してください）")
    wb = Workbook()
    wb.properties.title = f"DX推進状況調査 回答票 {format_fiscal_year(fiscal_year)}"
    wb.properties.creator = "DX Desk"
    _fill_instructions(wb.active, catalog, fiscal_year, title)
    choices = wb.create_sheet(CHOICES_SHEET)
    formulas = _fill_choices(choices, catalog)
    _fill_answers(wb.create_sheet(ANSWERS_SHEET, 1), catalog, municipalities, formulas, title)
    choices.sheet_state = "hidden"
    choices.protection.sheet = True
    _save_atomically(wb, path)
    return path


def _fill_instructions(ws: Worksheet, catalog: Catalog, fiscal_year: int, title: str) -> None:
    ws.title = INSTRUCTIONS_SHEET
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A3"], ws[FISCAL_YEAR_CELL] = "年度", fiscal_year
    ws["C3"] = format_fiscal_year(fiscal_year)
    ws["A4"], ws[CATALOG_VERSION_CELL] = "項目版", catalog.version
    ws[CATALOG_VERSION_CELL].number_format = "@"
    steps = [
        f"「{ANSWERS_SHEET}」シートに、市町村ごとに1行で回答してください。"
        "1つのセルに1つの回答を入れます。",
        "回答するセルを選ぶと右に▼が出ます。一覧から選んでください（一覧にない値は入りません）。",
        f"1行目の見出し、A列の{CODE_HEADER}、B列の{NAME_HEADER}は変更しないでください。"
        "行・列の追加、削除、並べ替えもしないでください。",
    ]
    # The prefecture's own indicators (category D) ask about achievements, not intentions.
    if any(c.id == "D" for c in catalog.categories):
        own = catalog.items_in("D")
        steps.append(
            f"{own[0].code}〜{own[-1].code}（{catalog.category('D').name}）は、"
            f"実績が1件以上あれば「{scale_choices(own[0].scale)[0]}」を選んでください。"
        )
    steps += [
        "回答できない項目は空欄のままにしてください。",
        "記入が終わったら、Excel 形式（.xlsx）のまま保存してください（CSV や PDF は不可）。",
        "保存したファイルを、担当の DX アドバイザーへ返送してください。",
    ]
    ws["A6"] = "記入のしかた"
    for row, step in enumerate(steps, start=7):
        # Merged over the table's width and wrapped, so that a printout shows all of it.
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        ws.cell(row, 1, f"{row - 6}. {step}").alignment = _WRAP_TOP
        ws.row_dimensions[row].height = 2 * _LINE_HEIGHT
    row = 8 + len(steps)
    ws.cell(row, 1, "選択肢の一覧")
    for cell in (ws["A6"], ws.cell(row, 1)):
        cell.font = Font(bold=True)
    rows: list[tuple[str | None, str | None, str]] = [("尺度", "対象の項目", "選択肢")]
    for scale in catalog.scales:
        codes = "、".join(i.code for i in catalog.items if i.scale.id == scale.id)
        if codes:
            choices = scale_choices(scale)
            rows += [(scale.name, codes, choices[0]), *((None, None, c) for c in choices[1:])]
    for values in rows:
        row += 1
        for col, value in enumerate(values, start=1):
            _box(ws.cell(row, col, value), header=values is rows[0])
    for letter, width in (("A", 16), ("B", 40), ("C", 30)):
        ws.column_dimensions[letter].width = width
    _print_setup(ws, title, landscape=False)


def _fill_choices(ws: Worksheet, catalog: Catalog) -> dict[str, str]:
    """Write each scale's choices; return the list formula of each scale by its id.

    A hidden range rather than an inline list: Excel caps inline lists at 255 characters and
    would split a label holding a comma.
    """
    formulas: dict[str, str] = {}
    for col, scale in enumerate(catalog.scales, start=1):
        choices = scale_choices(scale)
        ws.cell(1, col, scale.name)
        for row, choice in enumerate(choices, start=2):
            ws.cell(row, col, choice)
        letter = get_column_letter(col)
        formulas[scale.id] = f"'{CHOICES_SHEET}'!${letter}$2:${letter}${len(choices) + 1}"
    return formulas


def _fill_answers(
    ws: Worksheet,
    catalog: Catalog,
    municipalities: Sequence[Municipality],
    formulas: dict[str, str],
    title: str,
) -> None:
    headers = [CODE_HEADER, NAME_HEADER, *(f"{i.code} {i.question}" for i in catalog.items)]
    for col, header in enumerate(headers, start=1):
        _box(ws.cell(1, col, header), header=True)
    last_row = FIRST_ANSWER_ROW + len(municipalities) - 1
    for row, m in enumerate(municipalities, start=FIRST_ANSWER_ROW):
        code = ws.cell(row, 1, m.code)
        code.number_format = "@"  # text, so "302015" is never turned into a number
        ws.cell(row, 2, m.name)
        for col in range(1, len(headers) + 1):
            ws.cell(row, col).border = _BOX
            if col >= FIRST_ITEM_COLUMN:  # tint the cells to fill in
                ws.cell(row, col).fill = _ANSWER_FILL
    validations: dict[str, DataValidation] = {}
    for col, item in enumerate(catalog.items, start=FIRST_ITEM_COLUMN):
        scale = item.scale
        if scale.id not in validations:
            validations[scale.id] = DataValidation(
                type="list",
                formula1=formulas[scale.id],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="一覧にない値です",
                error=f"セルの右の▼から選んでください"
                f"（{scale.name}: {describe_values(scale.values)}）。",
            )
            ws.add_data_validation(validations[scale.id])
        letter = get_column_letter(col)
        validations[scale.id].add(f"{letter}{FIRST_ANSWER_ROW}:{letter}{last_row}")
        ws.column_dimensions[letter].width = _ITEM_WIDTH
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 14
    lines = max(math.ceil(_display_width(h) / (_ITEM_WIDTH - 2)) for h in headers)
    ws.row_dimensions[1].height = max(lines, 1) * _LINE_HEIGHT + 4
    ws.freeze_panes = "C2"
    ws.print_title_rows = "1:1"
    ws.print_title_cols = "A:B"
    _print_setup(ws, title, landscape=True)


def _box(cell: Any, *, header: bool) -> None:
    cell.border, cell.alignment = _BOX, _WRAP_TOP
    if header:
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL


def _display_width(text: str) -> int:
    """Width in Excel's character units: full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _print_setup(ws: Worksheet, title: str, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "&P / &N"


def _save_atomically(wb: Workbook, path: Path) -> None:
    """Save beside the target and rename over it, so a failure leaves no half-written file."""
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".dxdesk-", suffix=".xlsx.tmp")
    os.close(fd)
    temp = Path(temp_name)
    try:
        wb.save(temp)
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
