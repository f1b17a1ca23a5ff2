"""The secretariat's overview of a year's survey: every question across the municipalities that
answered, as an A4 landscape PDF (per question its distribution and who answered what; free
text listed per municipality). The workbook beside it is reports/survey_workbook.py.

The questions are the year's definition's (services/survey_definitions.year_definition); each
response's answers are read under its own definition and matched by question code.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Final

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, TableStyle

from dxdesk.domain.fiscal_year import format_date_ja
from dxdesk.domain.survey_definition import QUESTION_TYPES, Question, SurveyDefinition
from dxdesk.domain.survey_stats import UNANSWERED, Distribution, NumberSummary, ScoredSummary
from dxdesk.reports.assessment import PREFECTURE
from dxdesk.reports.document import LANDSCAPE, ReportError, build_pdf, para, styles, table
from dxdesk.reports.survey_comparison import year_title
from dxdesk.reports.survey_data import (
    LIST_SEPARATOR,
    SurveyYear,
    answer_text,
    chosen_keys,
    figures,
    group_answers,
    survey_year,
)
from dxdesk.reports.survey_tables import count_share, number_cells, score_line, share_bars
from dxdesk.services.survey_definitions import year_definition
from dxdesk.services.workspace import Workspace

TITLE: Final = "調査結果の全体集計"
WIDTH: Final = LANDSCAPE.content_width
OLDER_HEADING: Final = "以前の定義にだけある設問"
LIST_COLUMNS: Final = 4  # (市町村, 回答) pairs side by side for a number or a date


def overview_file_name(fiscal_year: int, suffix: str) -> str:
    return f"調査_全体_{fiscal_year}{suffix}"


def overview_definition(workspace: Workspace, fiscal_year: int) -> SurveyDefinition:
    return year_definition(workspace.store, fiscal_year).definition


def older_questions(
    year: SurveyYear, definition: SurveyDefinition
) -> list[tuple[Question, SurveyDefinition]]:
    """Questions that only a response's older definition asks (by code and type), each with
    that definition (its choices), in the order the responses' definitions first ask them."""
    asked = {(q.code, q.type) for q in definition.questions}
    extra: list[tuple[Question, SurveyDefinition]] = []
    for read in year.responses:
        for question in read.definition.questions:
            if (question.code, question.type) not in asked:
                asked.add((question.code, question.type))
                extra.append((question, read.definition))
    return extra


def overview_questions(
    year: SurveyYear, definition: SurveyDefinition
) -> list[tuple[Question, SurveyDefinition]]:
    """The year's definition's questions, then those only older definitions asked."""
    return [(q, definition) for q in definition.questions] + older_questions(year, definition)


def require_responses(year: SurveyYear) -> None:
    if not year.responses:
        raise ReportError(
            f"{year_title(year.fiscal_year)}の調査の回答が一つもありません。"
            "回答を取り込んでから作成してください（dxdesk import-survey）"
        )


def _cover(year: SurveyYear, definition: SurveyDefinition, made_at: datetime) -> list[Any]:
    s = styles()
    answered = {r.code for r in year.responses}
    missing = [name for code, name, _region in year.roster if code not in answered]
    rows = [
        ["年度", year_title(year.fiscal_year)],
        ["調査票", f"{definition.title or '—'}（{len(definition.questions)} 問）"],
        ["回答した団体", f"{len(year.responses)} / {len(year.roster)} 市町村"],
        ["未回答の団体", LIST_SEPARATOR.join(missing) or "なし"],
        ["作成日", format_date_ja(made_at.date())],
    ]
    return [
        para(f"{TITLE}　{year_title(year.fiscal_year)}", s.title),
        table(None, rows, [35 * mm, WIDTH - 35 * mm], label_column=True),
        Spacer(1, 3 * mm),
        para(
            "各設問の回答の分布と、どの市町村がどう答えたかを設問の順に並べています。"
            "割合は回答した団体数に対する割合です（複数選択は、その選択肢を選んだ団体の割合）。",
            s.small,
        ),
    ]


def _who_chose(question: Question, year: SurveyYear) -> dict[str, list[str]]:
    """Choice value ("" for 無回答) -> the municipalities that picked it, in code order."""
    who: dict[str, list[str]] = {}
    for read in year.responses:
        if not read.asks(question):
            continue
        for key in chosen_keys(read.answer(question)) or {""}:
            who.setdefault(key, []).append(read.name)
    return who


def _distribution(question: Question, year: SurveyYear, shown: Distribution) -> Any:
    who = _who_chose(question, year)
    lines = [(t.value, t.label, t.count) for t in shown.tallies]
    if shown.unanswered:
        lines.append(("", UNANSWERED, shown.unanswered))
    bar = 30 * mm
    widths = [60 * mm, 24 * mm, bar + 4 * mm, WIDTH - 118 * mm]
    rows = [
        [
            label,
            count_share(count, shown.share(count)),
            share_bars([(shown.share(count), PREFECTURE)], bar),
            LIST_SEPARATOR.join(who.get(value, [])) or "—",
        ]
        for value, label, count in lines
    ]
    header = ["選択肢", f"団体数（{shown.respondents}）", "分布", "回答した市町村"]
    drawn = table(header, rows, widths)
    drawn.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return drawn


def _answers_side_by_side(
    question: Question, year: SurveyYear, definition: SurveyDefinition
) -> Any:
    pairs = [
        (read.name, answer_text(question, definition, read.answer(question)))
        for read in year.responses
        if read.asks(question)
    ]
    rows: list[list[str]] = []
    for start in range(0, len(pairs), LIST_COLUMNS):
        chunk = pairs[start : start + LIST_COLUMNS]
        chunk += [("", "")] * (LIST_COLUMNS - len(chunk))
        rows.append([cell for pair in chunk for cell in pair])
    per = WIDTH / LIST_COLUMNS
    widths = [per * 0.45, per * 0.55] * LIST_COLUMNS
    return table(["市町村", "回答"] * LIST_COLUMNS, rows or [[""] * 2 * LIST_COLUMNS], widths)


def _texts(question: Question, year: SurveyYear, definition: SurveyDefinition) -> Any:
    rows = [
        [read.name, answer_text(question, definition, read.answer(question))]
        for read in year.responses
        if read.asks(question) and read.answer(question) not in (None, "")
    ]
    if not rows:
        return para("回答はありません。", styles().body)
    return table(["市町村", "回答"], rows, [30 * mm, WIDTH - 30 * mm])


def _question_block(
    question: Question, year: SurveyYear, definition: SurveyDefinition
) -> list[Any]:
    s = styles()
    kind = QUESTION_TYPES.get(question.type, question.type)
    story: list[Any] = [para(f"{question.code}　{question.text}（{kind}）", s.subheading)]
    shown = figures(question, definition, group_answers(question, year.responses))
    if isinstance(shown, ScoredSummary):
        story.append(para(f"県全体 {score_line(shown)}（満点 {shown.maximum}）", s.body))
        story.append(_distribution(question, year, shown.distribution))
    elif isinstance(shown, Distribution):
        story.append(_distribution(question, year, shown))
    elif isinstance(shown, NumberSummary):
        median, spread, count = number_cells(shown, question.unit)
        story.append(para(f"中央値 {median}　範囲 {spread}　回答数 {count}", s.body))
        story.append(_answers_side_by_side(question, year, definition))
    elif question.type == "date":
        story.append(_answers_side_by_side(question, year, definition))
    else:
        story.append(_texts(question, year, definition))
    return story


def overview_story(year: SurveyYear, definition: SurveyDefinition, made_at: datetime) -> list[Any]:
    s = styles()
    story = _cover(year, definition, made_at)
    for page, section, questions in definition.pages:
        heading = [para(f"ページ {page}　{section}", s.heading)]
        for question in questions:
            # A short table stays with its question, and a heading with the question under it.
            story.append(KeepTogether([*heading, *_question_block(question, year, definition)]))
            heading = []
    heading = [para(OLDER_HEADING, s.heading)]
    for question, asked_in in older_questions(year, definition):
        story.append(KeepTogether([*heading, *_question_block(question, year, asked_in)]))
        heading = []
    return story


def write_survey_overview(
    workspace: Workspace,
    fiscal_year: int,
    path: Path,
    *,
    made_at: datetime | None = None,
    year: SurveyYear | None = None,
) -> Path:
    """The overview PDF of ``fiscal_year`` at ``path`` (whole or not at all), every page
    stamped 取扱注意."""
    year = year if year is not None else survey_year(workspace, fiscal_year)
    require_responses(year)
    when = made_at if made_at is not None else datetime.now().astimezone()
    pending = [("survey_response", r.response.id) for r in year.responses]
    return build_pdf(
        path,
        overview_story(year, overview_definition(workspace, fiscal_year), when),
        title=f"{TITLE} {year_title(fiscal_year)}",
        municipality="全市町村",
        made_at=when,
        unsynced=workspace.store.has_pending(pending),
        confidential=True,  # every municipality's answers and free text: internal only
        page=LANDSCAPE,
    )
