"""The secretariat's overview of a year's survey as a workbook: 「回答一覧」 (a row per
municipality, a column per question, answers as people read them: choices by their labels,
several as 「A;B」 as the forms export them) and 「集計」 (each question's distribution, a
number's median and range). Header rows frozen, columns fitted, A4 landscape when printed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Final

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dxdesk.domain.survey_definition import QUESTION_TYPES, Question, SurveyDefinition
from dxdesk.domain.survey_stats import UNANSWERED, Distribution, NumberSummary, ScoredSummary
from dxdesk.domain.survey_values import AnswerValue
from dxdesk.reports.document import ReportError
from dxdesk.reports.survey_data import (
    SurveyYear,
    answer_text,
    choice_list,
    figures,
    group_answers,
    survey_year,
)
from dxdesk.reports.survey_overview import (
    overview_definition,
    overview_questions,
    require_responses,
)
from dxdesk.reports.xlsx_export import RATIO_FORMAT, Table, Value, save_atomically, write_sheet
from dxdesk.services.workspace import Workspace

ANSWERS_SHEET: Final = "回答一覧"
SUMMARY_SHEET: Final = "集計"
MULTIPLE_SEPARATOR: Final = ";"  # as Microsoft Forms exports a multiple choice
ANSWERED, NOT_ANSWERED = "回答済み", "未回答"
LEADING: Final = ["市町村コード", "市町村名", "振興局", "回答", "回答者", "回答日"]
# A date question's cells read as 令和6年9月30日 and stay dates (Excel's 和暦 calendar).
JAPANESE_DATE_FORMAT: Final = '[$-411]ggge"年"m"月"d"日"'
JAPANESE_DATE_WIDTH: Final = 16


def _cell(question: Question, definition: SurveyDefinition, value: AnswerValue | None) -> Value:
    """A number stays a number (and a score), a date a date, choices their labels."""
    if value is None or value == "" or value == []:
        return None
    if question.type in ("number", "scored") and not isinstance(value, bool | str | list):
        return value
    if question.type == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)  # a real date: sorted and filtered as one
        except ValueError:
            return value
    if question.type == "multiple" and isinstance(value, list):
        labels = {c.value: c.label for c in choice_list(question, definition)}
        return MULTIPLE_SEPARATOR.join(labels.get(v, v) for v in value)
    return answer_text(question, definition, value)


def answers_table(year: SurveyYear, definition: SurveyDefinition) -> Table:
    questions = overview_questions(year, definition)
    headers = [*LEADING, *(f"{q.code} {q.text}" for q, _asked_in in questions)]
    rows: list[list[Value]] = []
    for code, name, region in year.roster:
        read = year.response_of(code)
        if read is None:
            rows.append([code, name, region, NOT_ANSWERED, None, None])
            continue
        response = read.response
        rows.append(
            [
                code,
                name,
                region,
                ANSWERED,
                response.respondent or None,
                response.answered_on,
                *(_cell(q, asked_in, read.answer(q)) for q, asked_in in questions),
            ]
        )
    return Table(ANSWERS_SHEET, headers, rows, {})


def _date_columns(sheet: Worksheet, year: SurveyYear, definition: SurveyDefinition) -> None:
    """The date questions' cells in 和暦 (write_sheet gives every date its ISO format)."""
    for offset, (question, _asked_in) in enumerate(overview_questions(year, definition)):
        if question.type != "date":
            continue
        column = len(LEADING) + offset + 1
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            if isinstance(cell.value, date):
                cell.number_format = JAPANESE_DATE_FORMAT
        letter = get_column_letter(column)
        width = sheet.column_dimensions[letter].width or 0
        sheet.column_dimensions[letter].width = max(width, JAPANESE_DATE_WIDTH)


def summary_table(year: SurveyYear, definition: SurveyDefinition) -> Table:
    headers = ["設問番号", "ページ", "区分", "設問", "形式", "項目", "値", "割合"]
    rows: list[list[Value]] = []
    for question, asked_in in overview_questions(year, definition):
        lead: list[Value] = [
            question.code,
            question.page,
            question.section,
            question.text,
            QUESTION_TYPES.get(question.type, question.type),
        ]
        answers = group_answers(question, year.responses)
        shown = figures(question, asked_in, answers)
        if isinstance(shown, ScoredSummary):
            rows.append(
                [
                    *lead,
                    "平均点",
                    round(shown.mean, 2) if shown.mean is not None else None,
                    float(shown.ratio) if shown.ratio is not None else None,
                ]
            )
            shown = shown.distribution
        if isinstance(shown, Distribution):
            lines = [(t.label, t.count) for t in shown.tallies]
            lines.append((UNANSWERED, shown.unanswered))
            for label, count in lines:
                share = shown.share(count)
                rows.append([*lead, label, count, float(share) if share is not None else None])
        elif isinstance(shown, NumberSummary):
            unit = f"（{question.unit}）" if question.unit else ""
            for label, number in (
                (f"中央値{unit}", shown.median),
                (f"最小{unit}", shown.minimum),
                (f"最大{unit}", shown.maximum),
                ("回答数", shown.count),
                (UNANSWERED, shown.unanswered),
            ):
                rows.append([*lead, label, number, None])
        else:
            given = sum(1 for a in answers if a not in (None, ""))
            rows.append([*lead, "回答数", given, None])
            rows.append([*lead, UNANSWERED, len(answers) - given, None])
    return Table(SUMMARY_SHEET, headers, rows, {7: RATIO_FORMAT})


def write_survey_workbook(
    workspace: Workspace, fiscal_year: int, path: Path, *, year: SurveyYear | None = None
) -> Path:
    """The overview workbook of ``fiscal_year`` at ``path`` (whole or not at all)."""
    year = year if year is not None else survey_year(workspace, fiscal_year)
    require_responses(year)
    path = Path(path).expanduser().resolve()
    if not path.parent.is_dir():
        raise ReportError(f"出力先のフォルダ {path.parent} がありません")
    definition = overview_definition(workspace, fiscal_year)
    workbook = Workbook()
    first = workbook.active
    assert first is not None  # a new workbook has its one sheet
    write_sheet(first, answers_table(year, definition))
    _date_columns(first, year, definition)
    first.freeze_panes = "C2"  # the municipality stays in view while scrolling right
    write_sheet(workbook.create_sheet(), summary_table(year, definition))
    save_atomically(workbook, path)
    return path
