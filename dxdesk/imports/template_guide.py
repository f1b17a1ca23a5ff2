"""The answer sheet's 「記入方法」 sheet: the year and versions the importer reads (B3, B4), the
steps for filling it in, and every question listed by page with how it is answered."""

from __future__ import annotations

import math

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from dxdesk.domain.catalog import Catalog
from dxdesk.domain.fiscal_year import format_fiscal_year
from dxdesk.domain.survey_definition import SurveyDefinition
from dxdesk.imports.template_layout import (
    ANSWERED_HEADER,
    ANSWERS_SHEET,
    CATALOG_VERSION_CELL,
    CODE_HEADER,
    FISCAL_YEAR_CELL,
    INSTRUCTIONS_SHEET,
    MULTIPLE_SEPARATOR,
    NAME_HEADER,
    REQUIRED_MARK,
    RESPONDENT_HEADER,
    SURVEY_TITLE_CELL,
    WRAP_TOP,
    box,
    display_width,
    how_to_answer,
    print_setup,
    scale_choices,
    text_cell,
)

STEPS_HEADING = "記入のしかた"
QUESTIONS_HEADING = "設問の一覧"
QUESTION_COLUMNS = ("ページ", "区分", "設問番号", "設問", "回答のしかた", "必須", "説明")
_WIDTHS = (10, 18, 12, 48, 40, 6, 30)
_LINE_HEIGHT = 16  # points per wrapped line
_MAX_ROW_HEIGHT = 409  # Excel's limit


def fill_instructions(
    ws: Worksheet, definition: SurveyDefinition, catalog: Catalog, title: str
) -> None:
    ws.title = INSTRUCTIONS_SHEET
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A3"], ws[FISCAL_YEAR_CELL] = "年度", definition.fiscal_year
    ws["C3"] = format_fiscal_year(definition.fiscal_year)
    ws["A4"] = "項目版"
    text_cell(ws, 4, 2, catalog.version)
    ws[CATALOG_VERSION_CELL].number_format = "@"
    ws["A5"] = "調査"
    text_cell(ws, 5, 2, definition.title)
    ws[SURVEY_TITLE_CELL].alignment = WRAP_TOP
    row = 7
    ws.cell(row, 1, STEPS_HEADING).font = Font(bold=True)
    merged_width = sum(_WIDTHS)
    for number, step in enumerate(_steps(definition, catalog), start=1):
        row += 1
        # Merged over the table's width and wrapped, so that a printout shows all of it.
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(_WIDTHS))
        text = f"{number}. {step}"
        ws.cell(row, 1, text).alignment = WRAP_TOP
        ws.row_dimensions[row].height = _height(_lines(text, merged_width))
    row += 2
    ws.cell(row, 1, QUESTIONS_HEADING).font = Font(bold=True)
    row += 1
    for col, heading in enumerate(QUESTION_COLUMNS, start=1):
        box(text_cell(ws, row, col, heading), header=True)
    for question in definition.questions:
        row += 1
        values = (
            question.section,
            question.code,
            question.text,
            how_to_answer(question, definition, catalog),
            REQUIRED_MARK if question.required else "",
            question.help,
        )
        box(ws.cell(row, 1, question.page), header=False)
        for col, value in enumerate(values, start=2):
            box(text_cell(ws, row, col, value), header=False)
        lines = max(_lines(v, w) for v, w in zip(values, _WIDTHS[1:], strict=True))
        ws.row_dimensions[row].height = _height(lines)
    for col, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[ws.cell(1, col).column_letter].width = width
    print_setup(ws, title, landscape=True)


def _steps(definition: SurveyDefinition, catalog: Catalog) -> list[str]:
    kinds = {q.type for q in definition.questions}
    steps = [
        f"「{ANSWERS_SHEET}」シートに、市町村ごとに1行で回答してください。"
        "1つのセルに1つの設問の回答を入れます。",
    ]
    if kinds & {"scored", "single", "yes_no"}:
        steps.append(
            "選択肢から選ぶ設問は、セルを選ぶと右に出る▼の一覧から選んでください"
            "（一覧にない値は入りません）。"
        )
    if "multiple" in kinds:
        steps.append(
            f"複数選択の設問は、選んだ選択肢をそれぞれ「{MULTIPLE_SEPARATOR}」で区切って1つのセルに"
            f"入れます（例: 「A{MULTIPLE_SEPARATOR}B{MULTIPLE_SEPARATOR}」。Microsoft Forms の"
            "書き出しと同じ形です）。セルを選ぶと選択肢が表示されます。"
        )
    if "number" in kinds:
        steps.append(
            "数値の設問は、0 以上の数字だけを入れます。単位は見出しの（）の中にあります"
            "（「3人」ではなく「3」）。"
        )
    if "date" in kinds:
        steps.append(f"日付の設問は、{definition.fiscal_year}/4/1 の形で入れます。")
    if any(q.required for q in definition.questions):
        steps.append(
            f"見出しに「{REQUIRED_MARK}」のある設問は必ず回答してください。"
            "ほかの設問で回答できないものは空欄のままにしてください。"
        )
    else:
        steps.append("回答できない設問は空欄のままにしてください。")
    steps.append(
        f"C列の{RESPONDENT_HEADER}に回答した方の名前を、D列の{ANSWERED_HEADER}に回答した日"
        f"（{definition.fiscal_year}/9/1 の形）を入れてください。"
    )
    steps.append(
        f"1行目の見出し、A列の{CODE_HEADER}、B列の{NAME_HEADER}は変更しないでください。"
        "行・列の追加、削除、並べ替えもしないでください。"
    )
    # The prefecture's own indicators (category D) ask about achievements, not intentions.
    own = [
        q
        for q in definition.questions
        if q.type == "scored" and q.item and catalog.item(q.item).category_id == "D"
    ]
    if own:
        first = scale_choices(catalog.item(own[0].item or "").scale)[0]
        category = catalog.category("D").name
        codes = "、".join(q.code for q in own)  # listed: the survey may not keep them together
        steps.append(f"{codes}（{category}）は、実績が1件以上あれば「{first}」を選んでください。")
    steps += [
        "各設問のページと説明は、見出しのセルのコメントと下の「設問の一覧」にあります。",
        "記入が終わったら、Excel 形式（.xlsx）のまま保存してください（CSV や PDF は不可）。",
        "保存したファイルを、担当の DX アドバイザーへ返送してください。",
    ]
    return steps


def _lines(text: str, width: int) -> int:
    """Lines ``text`` wraps to in a column ``width`` wide, its own line breaks counted."""
    per_line = max(width - 2, 1)
    return sum(max(1, math.ceil(display_width(line) / per_line)) for line in text.split("\n"))


def _height(lines: int) -> int:
    return min(lines * _LINE_HEIGHT + 4, _MAX_ROW_HEIGHT)
