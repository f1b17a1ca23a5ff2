"""What the answer sheet's parts share: its sheet names and fixed cells (the importer reads
them), the marks it uses, its cell styles, and how each question is answered in words."""

from __future__ import annotations

import unicodedata
from typing import Final

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from dxdesk.domain.catalog import Catalog, Scale
from dxdesk.domain.survey_definition import Question, SurveyDefinition

INSTRUCTIONS_SHEET: Final = "記入方法"
ANSWERS_SHEET: Final = "回答"
CHOICES_SHEET: Final = "選択肢"
FISCAL_YEAR_CELL: Final = "B3"
CATALOG_VERSION_CELL: Final = "B4"
SURVEY_TITLE_CELL: Final = "B5"
CODE_HEADER: Final = "市町村コード"
NAME_HEADER: Final = "市町村名"
# Who answered and when: the importer reads them as the response's respondent and answer date
# (imports/columns.py knows these headers), so an answer sheet's answers have both.
RESPONDENT_HEADER: Final = "回答者"
ANSWERED_HEADER: Final = "回答日"
FIRST_ITEM_COLUMN: Final = 5  # E: the first question
FIRST_ANSWER_ROW: Final = 2

REQUIRED_MARK: Final = "※"  # after a required question's header
MULTIPLE_SEPARATOR: Final = ";"  # after each chosen label, as Microsoft Forms exports them
YES_NO_CHOICES: Final = ("はい", "いいえ")
DATE_FORMAT: Final = "yyyy/m/d"
PERCENT_UNITS: Final = frozenset({"%", "％", "パーセント"})  # a number from 0 to 100


def number_bounds(question: Question) -> tuple[int, int | None]:
    """The numbers a number question takes, in the answer sheet's validation and in the import
    alike: 0 or more, and a share (%) up to 100."""
    return (0, 100) if question.unit in PERCENT_UNITS else (0, None)


_THIN = Side(style="thin", color="808080")
BOX: Final = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL: Final = PatternFill("solid", fgColor="D9E1F2")
ANSWER_FILL: Final = PatternFill("solid", fgColor="FFF9E5")
WRAP_TOP: Final = Alignment(wrap_text=True, vertical="top")


def scale_choices(scale: Scale) -> list[str]:
    """A scale's choices as the drop-down lists them, highest value first: "3 推進している"."""
    return [f"{o.value} {o.label}" for o in sorted(scale.options, key=lambda o: -o.value)]


def choice_labels(definition: SurveyDefinition, question: Question) -> list[str]:
    """A choice question's labels, as the respondent reads them and the form exports them."""
    return [c.label for c in definition.choices_of(question)]


def how_to_answer(question: Question, definition: SurveyDefinition, catalog: Catalog) -> str:
    """One line on how a question is answered, with its choices or unit."""
    kind = question.type
    if kind == "scored" and question.item:
        return "▼から選ぶ: " + "／".join(scale_choices(catalog.item(question.item).scale))
    if kind == "single":
        return "▼から選ぶ: " + "／".join(choice_labels(definition, question))
    if kind == "yes_no":
        return "▼から選ぶ: " + "／".join(YES_NO_CHOICES)
    if kind == "multiple":
        labels = choice_labels(definition, question)
        example = "".join(label + MULTIPLE_SEPARATOR for label in labels[:2])
        return (
            f"当てはまるものをすべて、「{MULTIPLE_SEPARATOR}」で区切って1つのセルに"
            f"（例: {example}）。選択肢: " + "／".join(labels)
        )
    if kind == "number":
        unit = f"（単位: {question.unit}）" if question.unit else ""
        low, high = number_bounds(question)
        span = f"{low} 以上" if high is None else f"{low}〜{high}"
        return f"{span}の数値を、単位を付けずに{unit}"
    if kind == "date":
        return f"日付（例: {definition.fiscal_year}/4/1）"
    return "自由記述（セルの中の改行は Alt+Enter）"


def text_cell(ws: Worksheet, row: int, column: int, value: str) -> Cell:
    """A cell holding ``value`` as text: a leading 「=」 is no formula, and characters an .xlsx
    cannot hold (control characters) are left out rather than failing the save."""
    cell = ws.cell(row, column, ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def box(cell: Cell, *, header: bool) -> None:
    cell.border, cell.alignment = BOX, WRAP_TOP
    if header:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL


def display_width(text: str) -> int:
    """Width in Excel's character units: full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def print_setup(ws: Worksheet, title: str, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "&P / &N"
