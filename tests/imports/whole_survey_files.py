"""Files of the whole survey (every question of a definition), as Microsoft Forms exports them,
and a small definition with one question of each type, for the import tests.

Every answer is fixed by the municipality's position and the question's, so a test states the
expected stored values exactly (``FormsExport.expected``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl

from dxdesk.domain.catalog import Catalog
from dxdesk.domain.roster import Municipality
from dxdesk.domain.survey_definition import Choice, Question, SurveyDefinition
from dxdesk.domain.survey_values import AnswerValue
from dxdesk.imports.template_layout import number_bounds

MS_FORMS_META = ("ID", "開始時刻", "完了時刻", "メール", "名前", "最終変更時刻")
MUNICIPALITY_HEADER = "市町村名"
Cell = str | int | float | datetime | None


def small_definition(catalog: Catalog, fiscal_year: int = 2024) -> SurveyDefinition:
    """Three scored items (their catalog texts) and one question of every other type."""
    scored = tuple(
        Question(
            code=code,
            page=1,
            section="体制",
            text=catalog.item(code).question,
            type="scored",
            item=code,
        )
        for code in ("0-1", "0-3", "1-1")
    )
    others = (
        Question(
            "Q1", 2, "体制", "DX推進の責任者の職位を教えてください。", "single", choices="rank"
        ),
        Question(
            "Q2",
            2,
            "くらし",
            "取り組んでいる分野をすべて選んでください。",
            "multiple",
            choices="fields",
        ),
        Question("Q3", 2, "体制", "DX推進担当部門の職員数を教えてください。", "number", unit="人"),
        Question("Q4", 3, "AI", "生成AIの利用ガイドラインを定めていますか？", "yes_no"),
        Question("Q5", 3, "計画", "DX推進計画を策定した日を教えてください。", "date"),
        Question("Q6", 3, "ご意見", "ご意見・ご要望をお書きください。", "text"),
    )
    lists = {
        "rank": (Choice("mayor", "首長"), Choice("deputy", "副首長"), Choice("head", "部長級")),
        "fields": (
            Choice("disaster", "防災"),
            Choice("children", "子育て・教育"),
            Choice("transport", "地域交通"),
        ),
    }
    return SurveyDefinition(
        fiscal_year, "和歌山県", "テスト調査", scored + others, lists, catalog.version
    )


def definition_record(definition: SurveyDefinition) -> dict[str, object]:
    """The fields of a loaded ``survey_definition`` record holding ``definition``."""
    return {
        "fiscal_year": definition.fiscal_year,
        "prefecture": definition.prefecture,
        "title": definition.title,
        "definition": definition.as_json(),
        "source_name": "定義.xlsx",
        "source_sha256": "0" * 64,
    }


def answer_cell(
    question: Question, definition: SurveyDefinition, catalog: Catalog, n: int
) -> tuple[Cell, AnswerValue]:
    """The n-th municipality's cell for ``question`` as Forms writes it, and its stored value."""
    choices = definition.choices_of(question)
    match question.type:
        case "scored":
            options = catalog.item(question.item or "").scale.options
            option = options[n % len(options)]
            return option.label, option.value
        case "single":
            choice = choices[n % len(choices)]
            return choice.label, choice.value
        case "multiple":
            picked = sorted({0, (n + 1) % len(choices)})
            cell = "".join(f"{choices[i].label};" for i in picked)  # Forms' 「A;B;」
            return cell, [choices[i].value for i in picked]
        case "number":
            if number_bounds(question)[1] is not None:  # a share: 0 to 100
                return ("１２", 12) if n % 3 == 0 else (n % 101, n % 101)
            return ("１，２３４", 1234) if n % 3 == 0 else (n * 3 + 1, n * 3 + 1)
        case "yes_no":
            return ("はい", True) if n % 2 == 0 else ("いいえ", False)
        case "date":
            if n % 2:
                return datetime(2024, 5, n % 28 + 1), date(2024, 5, n % 28 + 1).isoformat()
            return f"R6.6.{n % 28 + 1}", date(2024, 6, n % 28 + 1).isoformat()
        case _:
            return f"  回答 {n} の内容  ", f"回答 {n} の内容"


@dataclass
class FormsExport:
    path: Path
    headers: list[str]
    expected: dict[str, dict[str, AnswerValue]] = field(default_factory=dict)  # code -> answers
    respondents: dict[str, str] = field(default_factory=dict)


def forms_export_xlsx(
    directory: Path,
    definition: SurveyDefinition,
    catalog: Catalog,
    municipalities: Sequence[Municipality],
    *,
    answered: date = date(2024, 10, 20),
    extra: Mapping[str, Sequence[Cell]] | None = None,
    cells: Mapping[tuple[int, str], Cell] | None = None,
) -> FormsExport:
    """A Microsoft Forms export, "forms.xlsx": Forms' own columns, 市町村名, then one column per
    question headed by its text; ``extra`` adds columns (header -> a cell per row) at the end and
    ``cells`` replaces the cell of (row index, question code)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "forms.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    headers = [*MS_FORMS_META, MUNICIPALITY_HEADER, *(q.text for q in definition.questions)]
    headers += list(extra or {})
    sheet.append(headers)
    export = FormsExport(path, headers)
    start = datetime.combine(answered, time(9, 0))
    for n, municipality in enumerate(municipalities):
        started = start + timedelta(minutes=7 * n)
        row: list[Cell] = [
            n + 1,
            started,
            started + timedelta(minutes=5),
            "anonymous",
            f"担当 {n}",
            started + timedelta(minutes=5),
            municipality.name,
        ]
        answers: dict[str, AnswerValue] = {}
        for question in definition.questions:
            cell, value = answer_cell(question, definition, catalog, n)
            if cells and (n, question.code) in cells:
                cell = cells[(n, question.code)]
            row.append(cell)
            answers[question.code] = value
        row += [values[n] for values in (extra or {}).values()]
        sheet.append(row)
        export.expected[municipality.code] = answers
        export.respondents[municipality.code] = f"担当 {n}"
    book.save(path)
    return export
