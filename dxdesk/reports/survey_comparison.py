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
from dxdesk.domain.survey_stats import UNLISTED_VALUE, Distribution, NumberSummary, ScoredSummary
from dxdesk.domain.survey_values import AnswerValue
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
from dxdesk.reports.survey_tables import distribution_table, quartile_cells, score_line
from dxdesk.services.workspace import Workspace

TITLE: Final = "調査結果の比較レポート"
# Other municipalities' answers to a question are shown only as figures of at least this many
# of them besides this one: fewer would let the reader work each one's answer out.
OTHERS_SHOWN: Final = 3
TOO_FEW: Final = "管内の回答が少ないため表示しません"
TOO_FEW_PREFECTURE: Final = "県内の回答が少ないため表示しません"
READING: Final = (
    "各設問について、貴団体の回答（●、色付きの行）と、県全体・振興局管内の回答の分布を並べています。"
    "括弧内の数は回答した団体の数、割合はその団体数に対する割合です（複数選択は、その選択肢を"
    "選んだ団体の割合）。棒は上が県全体、下が振興局管内です。"
    f"他の団体の回答が特定されないよう、振興局管内の集計は貴団体のほかに管内の {OTHERS_SHOWN} 団体"
    f"以上が回答した設問だけ表示します（少ないときは「{TOO_FEW}」）。数値の設問は、県全体の"
    "中央値と、中ほど半数の範囲（25%〜75%）を示し、最小・最大は示しません。これも貴団体のほかに"
    f" {OTHERS_SHOWN} 団体以上の回答があるときだけ表示します。選択肢にない値の回答は"
    "「その他（定義にない値）」にまとめています。"
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


def _others_answered(question: Question, read: ReadResponse, group: list[ReadResponse]) -> int:
    """How many municipalities of ``group`` besides ``read``'s answered ``question``."""
    return sum(
        1
        for other in group
        if other.code != read.code and other.answer(question) not in (None, "", [])
    )


def _folded(shown: Distribution) -> Distribution:
    return shown.folded()


def _chosen(value: AnswerValue | None, shown: Distribution) -> set[str]:
    """The rows to mark: the picked choices, one the list lacks as the folded row."""
    listed = {t.value for t in shown.tallies if t.listed}
    keys = chosen_keys(value)
    return {k if k in listed else UNLISTED_VALUE for k in keys}


def _question_block(
    question: Question, read: ReadResponse, year: SurveyYear, definition: SurveyDefinition
) -> list[Any]:
    s = styles()
    value = read.response.answers.get(question.code)
    kind = QUESTION_TYPES.get(question.type, question.type)
    story: list[Any] = [para(f"{question.code}　{question.text}（{kind}）", s.subheading)]
    prefecture = year.figures_of(question, definition)
    in_region = _others_answered(question, read, year.in_region(read.region))
    region = year.figures_of(question, definition, read.region)
    if in_region < OTHERS_SHOWN:
        region = None  # a few neighbours' answers would be readable off the figures
    region_name = f"{read.region}管内"
    ours = answer_text(question, definition, value)
    if isinstance(prefecture, ScoredSummary):
        region_score = region.distribution if isinstance(region, ScoredSummary) else None
        rows = [
            ["貴団体", f"{ours}（満点 {prefecture.maximum}）"],
            ["県全体", score_line(prefecture)],
            [region_name, score_line(region) if isinstance(region, ScoredSummary) else TOO_FEW],
        ]
        story.append(table(None, rows, [35 * mm, CONTENT_WIDTH - 35 * mm], label_column=True))
        shown = _folded(prefecture.distribution)
        story.append(
            distribution_table(
                shown,
                _folded(region_score) if region_score is not None else None,
                region_name=region_name,
                chosen=_chosen(value, shown),
                width=CONTENT_WIDTH,
            )
        )
    elif isinstance(prefecture, Distribution):
        shown = _folded(prefecture)
        story.append(
            distribution_table(
                shown,
                _folded(region) if isinstance(region, Distribution) else None,
                region_name=region_name,
                chosen=_chosen(value, shown),
                width=CONTENT_WIDTH,
            )
        )
    elif isinstance(prefecture, NumberSummary):
        header = [
            "貴団体の回答",
            "県の中央値",
            "県の25%〜75%",
            "県の回答数",
            f"{region_name}の中央値",
        ]
        if _others_answered(question, read, year.responses) >= OTHERS_SHOWN:
            cells = quartile_cells(prefecture, question.unit)
        else:
            cells = [TOO_FEW_PREFECTURE, "—", f"{prefecture.count}"]
        regional = (
            quartile_cells(region, question.unit)[0]
            if isinstance(region, NumberSummary)
            else TOO_FEW
        )
        story.append(table(header, [[ours, *cells, regional]], [CONTENT_WIDTH / 5] * 5))
    else:  # a date or a free text: the answer itself
        story.append(table(None, [[ours]], [CONTENT_WIDTH]))
    if region is None and question.type in ("single", "multiple", "yes_no"):  # (others say it)
        story.append(para(f"{region_name}: {TOO_FEW}", s.small))
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
