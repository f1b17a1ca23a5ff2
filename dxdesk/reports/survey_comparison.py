"""The survey comparison report promised to each municipality (「全体の集計結果とご回答内容を比較
できるレポート」): every question of the survey, page by page in the survey's order, its answer
beside the prefecture's and its region's figures.

The municipality's answers are read under its response's own definition; the prefecture's and
the region's figures gather the year's responses by question code (reports/survey_data.py).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Final

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from dxdesk.domain.fiscal_year import format_date_ja, format_fiscal_year_ja
from dxdesk.domain.survey_definition import QUESTION_TYPES, Question, SurveyDefinition
from dxdesk.domain.survey_stats import Distribution, NumberSummary, ScoredSummary
from dxdesk.reports.document import (
    CONTENT_WIDTH,
    ReportError,
    build_pdf,
    para,
    paras,
    styles,
    table,
)
from dxdesk.reports.survey_data import (
    ReadResponse,
    SurveyYear,
    answer_text,
    chosen_keys,
    survey_year,
)
from dxdesk.reports.survey_tables import (
    distribution_table,
    number_cells,
    score_line,
)
from dxdesk.services.workspace import Workspace

TITLE: Final = "調査結果の比較レポート"
READING: Final = (
    "各設問について、貴団体の回答（●、色付きの行）と、県全体・振興局管内の回答の分布を並べています。"
    "括弧内の数は回答した団体の数、割合はその団体数に対する割合です（複数選択は、その選択肢を"
    "選んだ団体の割合）。棒は上が県全体、下が振興局管内です。"
)


def year_title(fiscal_year: int) -> str:
    """「令和6年度（2024年度）」: 和暦 and 西暦, as printed documents write both."""
    return f"{format_fiscal_year_ja(fiscal_year)}（{fiscal_year}年度）"


def survey_file_name(code: str, name: str, fiscal_year: int) -> str:
    return f"調査比較_{fiscal_year}_{code}_{name}.pdf"


def no_response_error(name: str, fiscal_year: int) -> ReportError:
    return ReportError(
        f"{name} の{year_title(fiscal_year)}の調査の回答がありません。"
        "回答を取り込んでから作成してください（dxdesk import-survey）"
    )


def _cover(read: ReadResponse, year: SurveyYear, made_at: datetime) -> list[Any]:
    s = styles()
    response = read.response
    in_region = len(year.in_region(read.region))
    region_total = sum(1 for _c, _n, region in year.roster if region == read.region)
    rows = [
        ["市町村", f"{read.name}（{read.region}振興局管内）"],
        ["年度", year_title(year.fiscal_year)],
        [
            "回答した団体",
            f"県全体 {len(year.responses)} / {len(year.roster)} 市町村"
            f"（{read.region}振興局管内 {in_region} / {region_total}）",
        ],
        ["回答者", response.respondent or "—"],
        ["回答日", format_date_ja(response.answered_on) if response.answered_on else "—"],
        ["調査票", f"{read.definition.title or '—'}（{len(read.definition.questions)} 問）"],
        ["作成日", format_date_ja(made_at.date())],
    ]
    return [
        para(f"{read.name}　{TITLE}", s.title),
        para(year_title(year.fiscal_year), s.subheading),
        Spacer(1, 2 * mm),
        table(None, rows, [35 * mm, CONTENT_WIDTH - 35 * mm], label_column=True),
        Spacer(1, 3 * mm),
        para(READING, s.small),
    ]


def _question_block(
    question: Question, read: ReadResponse, year: SurveyYear, definition: SurveyDefinition
) -> list[Any]:
    s = styles()
    value = read.response.answers.get(question.code)
    kind = QUESTION_TYPES.get(question.type, question.type)
    story: list[Any] = [para(f"{question.code}　{question.text}（{kind}）", s.subheading)]
    prefecture = year.figures_of(question, definition)
    region = year.figures_of(question, definition, read.region)
    region_name = f"{read.region}管内"
    if isinstance(prefecture, ScoredSummary) and isinstance(region, ScoredSummary):
        story.append(
            para(
                f"貴団体 {answer_text(question, definition, value)}（満点 {prefecture.maximum}）"
                f"　県全体 {score_line(prefecture)}　{region_name} {score_line(region)}",
                s.body,
            )
        )
        story.append(
            distribution_table(
                prefecture.distribution,
                region.distribution,
                region_name=region_name,
                chosen=chosen_keys(value),
                width=CONTENT_WIDTH,
            )
        )
    elif isinstance(prefecture, Distribution) and isinstance(region, Distribution):
        story.append(
            distribution_table(
                prefecture,
                region,
                region_name=region_name,
                chosen=chosen_keys(value),
                width=CONTENT_WIDTH,
            )
        )
    elif isinstance(prefecture, NumberSummary) and isinstance(region, NumberSummary):
        header = ["貴団体の回答", "県の中央値", "県の範囲", "県の回答数", f"{region_name}の中央値"]
        ours = answer_text(question, definition, value)
        cells = number_cells(prefecture, question.unit)
        row = [ours, *cells, number_cells(region, question.unit)[0]]
        story.append(table(header, [row], [CONTENT_WIDTH / 5] * 5))
    else:  # a date or a free text: the answer itself
        story.append(table(None, [[answer_text(question, definition, value)]], [CONTENT_WIDTH]))
    if question.help:
        story += paras(question.help, s.small)
    return story


def comparison_story(read: ReadResponse, year: SurveyYear, made_at: datetime) -> list[Any]:
    s = styles()
    definition = read.definition
    story = _cover(read, year, made_at)
    for page, section, questions in definition.pages:
        headings = [para(f"ページ {page}　{section}", s.heading)]
        shown = section
        for question in questions:
            if question.section and question.section != shown:
                headings.append(para(question.section, s.heading))
                shown = question.section
            # A short table stays with its question, and a heading with the question under it.
            block = _question_block(question, read, year, definition)
            story.append(KeepTogether([*headings, *block]))
            headings = []
    return story


def write_survey_comparison(
    workspace: Workspace,
    code: str,
    fiscal_year: int,
    path: Path,
    *,
    confidential: bool = False,
    made_at: datetime | None = None,
    year: SurveyYear | None = None,
) -> Path:
    """The comparison report of ``code``'s response of ``fiscal_year`` as an A4 PDF at ``path``
    (whole or not at all). ``year``: the year's responses already read (for many reports)."""
    name = str(workspace.municipalities.get(code)["name"])
    year = year if year is not None else survey_year(workspace, fiscal_year)
    read = year.response_of(code)
    if read is None:
        raise no_response_error(name, fiscal_year)
    when = made_at if made_at is not None else datetime.now().astimezone()
    return build_pdf(
        path,
        comparison_story(read, year, when),
        title=f"{TITLE} {year_title(fiscal_year)}",
        municipality=name,
        made_at=when,
        unsynced=workspace.store.has_pending([("survey_response", read.response.id)]),
        confidential=confidential,
    )
