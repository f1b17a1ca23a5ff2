"""A survey file read into answers per municipality, with every problem located by sheet, row
and column. Nothing is written here (see ``dxdesk.imports.plan``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dxdesk.domain.catalog import Catalog
from dxdesk.domain.errors import DomainError
from dxdesk.domain.fiscal_year import fiscal_year_of, parse_fiscal_year
from dxdesk.domain.record_fields import record_date_refusal
from dxdesk.domain.roster import Municipality, match_municipality
from dxdesk.domain.survey_definition import SurveyDefinition, catalog_definition
from dxdesk.domain.survey_values import AnswerValue
from dxdesk.domain.text import normalize_digits
from dxdesk.imports.answer_cells import AnswerError, answer_time, cell_parser
from dxdesk.imports.columns import (
    Column,
    QuestionIndex,
    Role,
    header_score,
    map_columns,
    question_column,
    squash,
)
from dxdesk.imports.template import ANSWERS_SHEET as ANSWER_SHEET
from dxdesk.imports.template import INSTRUCTIONS_SHEET as INSTRUCTION_SHEET
from dxdesk.imports.workbook import Sheet, SurveyFileError, column_letter, read_workbook

HEADER_SEARCH_ROWS = 30
MIN_ITEMS = 3
YEAR_HINT = (
    "ファイルに年度が書かれていないため、アセスメント項目の列だけを探しました。"
    "年度を指定すると（--fiscal-year、取り込み画面の年度）、その年度の設問で探します"
)
UNCACHED_FORMULA = "数式の計算結果が保存されていません。Excel で開いて保存し直してください"


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None  # 1-based sheet row, as Excel shows it
    column: str | None  # column letter
    value: Any
    message: str

    def as_json(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, datetime | date):
            value = value.isoformat()
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": value,
            "message": self.message,
        }


@dataclass(frozen=True)
class SurveyRow:
    sheet: str
    row: int
    code: str
    name: str
    scores: dict[str, int]  # catalog item -> score: the scored questions, for the assessment
    answered_on: date | None
    valid: bool = True  # False: a problem on the row keeps its answers out
    answers: dict[str, AnswerValue] = field(default_factory=dict)  # question code -> value
    respondent: str = ""


@dataclass(frozen=True)
class SurveyFile:
    path: Path
    sha256: str
    sheet: str
    header_row: int
    columns: list[Column]
    rows: list[SurveyRow]
    problems: list[Problem]  # each tied to a row unless row is None
    fiscal_year: int | None  # as the file says (template, or the answers' dates)
    rows_read: int = 0
    definition: SurveyDefinition | None = None  # the one its columns were mapped to


# The definition a file is read under: given, or chosen by the fiscal year the file states or
# its answers' dates show (None when neither does).
DefinitionFor = Callable[[int | None], SurveyDefinition]


def read_survey(
    path: Path,
    *,
    catalog: Catalog,
    roster: Sequence[Municipality],
    overrides: Mapping[int, str | None] | None = None,
    definition: SurveyDefinition | DefinitionFor | None = None,
) -> SurveyFile:
    """Read ``path``; ``overrides`` fixes columns by 0-based index (a question's or an item's
    code, or None to leave the column out). Without ``definition`` the catalog's items stand
    for the survey."""
    book = read_workbook(path)
    stated = _stated_fiscal_year(book.sheets)
    choose: DefinitionFor | None = None
    known: SurveyDefinition | None = None
    if definition is None:
        known = catalog_definition(catalog, stated or 0)
    elif isinstance(definition, SurveyDefinition):
        known = definition
    elif stated is not None:
        known = definition(stated)
    else:
        choose = definition
    search = _with_catalog(known, catalog)
    try:
        sheet, header_row = _find_header(book.sheets, search)
    except SurveyFileError as exc:
        if choose is None:
            raise
        # Without the year only the assessment items could be looked for.
        raise SurveyFileError(f"{exc}。{YEAR_HINT}") from None
    if known is None:
        assert choose is not None
        guessed = map_columns(sheet.rows[header_row - 1], search, guess=False)
        known = choose(_dated_fiscal_year(sheet, header_row, guessed))
    columns = map_columns(sheet.rows[header_row - 1], known)
    columns = _with_overrides(_blank_headers(sheet, header_row, columns), overrides, known)
    if not any(c.role in (Role.CODE, Role.NAME) for c in columns):
        raise SurveyFileError(
            f"シート「{sheet.name}」に市町村の列（市町村名・団体名・市町村コードなど）がありません"
        )
    rows, problems, count = _read_rows(sheet, header_row, columns, known, catalog, roster)
    return SurveyFile(
        path,
        book.sha256,
        sheet.name,
        header_row,
        columns,
        rows,
        problems,
        stated or _answered_fiscal_year(rows),
        count,
        known,
    )


def _with_catalog(definition: SurveyDefinition | None, catalog: Catalog) -> SurveyDefinition:
    """What finds the header row: the definition's questions, and the catalog's items too (a
    file of the items alone is still a survey)."""
    items = catalog_definition(catalog, definition.fiscal_year if definition else 0)
    if definition is None:
        return items
    extra = tuple(
        q
        for q in items.questions
        if q.item not in definition.scored and q.code not in definition.by_code
    )
    return replace(definition, questions=definition.questions + extra)


def _with_overrides(
    columns: list[Column],
    overrides: Mapping[int, str | None] | None,
    definition: SurveyDefinition,
) -> list[Column]:
    index = QuestionIndex.of(definition)
    for position, code in (overrides or {}).items():
        if not 0 <= position < len(columns):
            continue
        column = columns[position]
        if not code:
            columns[position] = Column(column.index, column.header, Role.IGNORED)
            continue
        question = index.code(code)
        if question is None:
            raise SurveyFileError(
                f"列 {column.letter} に割り当てる「{code}」は、この年度の調査の設問番号にも"
                "項目番号にもありません（例: Q5-2、3-12、D1。取り込まない列は -）"
            )
        columns[position] = question_column(column, question, index)
    return columns


def _blank_headers(sheet: Sheet, header_row: int, columns: list[Column]) -> list[Column]:
    """A column without a header but with answers under it is not left out without a word."""
    result = list(columns)
    for column in columns:
        if column.role is Role.IGNORED and any(
            column.index < len(cells) and not _blank(cells[column.index])
            for cells in sheet.rows[header_row:]
        ):
            result[column.index] = replace(column, role=Role.UNMAPPED)
    return result


def _find_header(sheets: list[Sheet], definition: SurveyDefinition) -> tuple[Sheet, int]:
    """The row that looks most like a header (not always row 1: titles and notes come first)."""
    best: tuple[tuple[int, int, int], Sheet, int] | None = None
    for sheet in sheets:
        preferred = 1 if sheet.name == ANSWER_SHEET else 0
        for number, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
            if sum(isinstance(v, str) for v in row) < MIN_ITEMS:
                continue  # a title, a note, answers: not a header
            found, where = header_score(map_columns(row, definition, guess=False))
            rank = (found + (5 if where else 0), preferred, -number)
            if found >= MIN_ITEMS and (best is None or rank > best[0]):
                best = (rank, sheet, number)
    if best is None:
        raise SurveyFileError(
            "調査項目の列が見つかりません。見出しの行に設問番号・項目番号（例: Q5-2、3-12、D1）か"
            "設問文があるか確かめてください"
        )
    _, sheet, number = best
    return sheet, number


def _read_rows(
    sheet: Sheet,
    header_row: int,
    columns: list[Column],
    definition: SurveyDefinition,
    catalog: Catalog,
    roster: Sequence[Municipality],
) -> tuple[list[SurveyRow], list[Problem], int]:
    rows: list[SurveyRow] = []
    problems: list[Problem] = []
    count = 0
    letters = {c.index: column_letter(c.index) for c in columns}
    parsers = {
        c.index: (
            c.question,
            c.item,
            cell_parser(definition.question(c.question), definition, catalog),
        )
        for c in columns
        if c.role is Role.QUESTION and c.question is not None
    }
    read_roles = (Role.QUESTION, Role.CODE, Role.NAME, Role.RESPONDENT, Role.TIME)
    respondents = [c.index for c in columns if c.role is Role.RESPONDENT]
    uncached = sheet.uncached_formulas  # mostly empty: then no cell is looked up in it
    for number, cells in enumerate(sheet.rows[header_row:], start=header_row + 1):
        if all(_blank(v) for v in cells):
            continue  # blank rows between answers
        count += 1
        found: list[Problem] = []
        for column in columns if uncached else ():
            if (number, column.index + 1) in uncached and column.role in read_roles:
                found.append(
                    Problem(sheet.name, number, letters[column.index], None, UNCACHED_FORMULA)
                )
        municipality = _municipality(sheet.name, number, cells, columns, roster, found)
        scores: dict[str, int] = {}
        answers: dict[str, AnswerValue] = {}
        answered_on: date | None = None
        answered_in: Column | None = None
        for column in columns:
            value = cells[column.index] if column.index < len(cells) else None
            if column.role is Role.TIME and not _blank(value):
                try:
                    answered_on = answer_time(value) or answered_on
                    answered_in = column
                except AnswerError as exc:  # text that is no time: said, never ignored
                    found.append(
                        Problem(sheet.name, number, letters[column.index], value, str(exc))
                    )
            parser = parsers.get(column.index)
            if parser is None or (uncached and (number, column.index + 1) in uncached):
                continue
            code, item, parse = parser
            try:
                answer = parse(value)
            except AnswerError as exc:
                found.append(Problem(sheet.name, number, letters[column.index], value, str(exc)))
                continue
            if answer is None:
                continue
            answers[code] = answer
            if item is not None and isinstance(answer, int):
                scores[item] = answer
        if answered_on is not None and answered_in is not None:
            # The assessment's 実施日, held to the years a record's date may take.
            refusal = record_date_refusal(answered_on)
            if refusal is not None:
                value = cells[answered_in.index]
                letter = letters[answered_in.index]
                found.append(Problem(sheet.name, number, letter, value, f"回答日 {refusal}"))
                answered_on = None
        problems += found
        if municipality is not None:
            # A row with a problem is kept (without its answers) so a person can exclude it.
            rows.append(
                SurveyRow(
                    sheet.name,
                    number,
                    municipality.code,
                    municipality.name,
                    {} if found else scores,
                    answered_on,
                    valid=not found,
                    answers={} if found else answers,
                    respondent=_respondent(cells, respondents),
                )
            )
    return rows, problems, count


def _respondent(cells: tuple[Any, ...], indexes: list[int]) -> str:
    for index in indexes:
        if index < len(cells) and not _blank(cells[index]):
            return str(cells[index]).strip()[:200]
    return ""


def _municipality(
    sheet: str,
    number: int,
    cells: tuple[Any, ...],
    columns: list[Column],
    roster: Sequence[Municipality],
    found: list[Problem],
) -> Municipality | None:
    given: list[tuple[Column, Any]] = []
    for role in (Role.CODE, Role.NAME):
        for column in columns:
            if (
                column.role is role
                and column.index < len(cells)
                and not _blank(cells[column.index])
            ):
                given.append((column, cells[column.index]))
    if not given:
        where = next(c for c in columns if c.role in (Role.CODE, Role.NAME))
        found.append(Problem(sheet, number, column_letter(where.index), None, "市町村が空欄です"))
        return None
    found_in: list[tuple[Column, Any, Municipality | None]] = [
        (column, value, match_municipality(roster, _identity_text(value)))
        for column, value in given
    ]
    named = {m.code: m for _c, _v, m in found_in if m is not None}
    if len(named) == 1 and all(m is not None for _c, _v, m in found_in):
        return next(iter(named.values()))
    if len(named) > 1:  # two columns naming two municipalities: which one is not guessed
        column, value, _m = found_in[1]
        message = (
            f"市町村の列が食い違っています（{'、'.join(m.name for m in named.values())}）。"
            "どちらが正しいか確かめてファイルを直すか、この行を除外してください"
        )
    else:
        column, value, _m = next((c, v, m) for c, v, m in found_in if m is None)
        message = (
            f"市町村「{value}」が分かりません（名前か 6 桁・5 桁の市町村コードで書いてください）"
        )
    found.append(Problem(sheet, number, column_letter(column.index), value, message))
    return None


def _identity_text(value: Any) -> str:
    return str(int(value)) if isinstance(value, int | float) else str(value)


def duplicate_problems(rows: list[SurveyRow]) -> list[Problem]:
    """One municipality on several rows: each row is a problem until all but one are excluded."""
    seen: dict[str, list[SurveyRow]] = defaultdict(list)
    for row in rows:
        seen[row.code].append(row)
    problems = []
    for same in seen.values():
        if len(same) < 2:
            continue
        listed = "、".join(f"{r.row} 行目" for r in same)
        problems += [
            Problem(
                r.sheet,
                r.row,
                None,
                r.name,
                f"{r.name} の回答が {len(same)} 件あります（{listed}）。"
                "使う行を一つ選び、ほかの行を除外してください",
            )
            for r in same
        ]
    return problems


def _stated_fiscal_year(sheets: list[Sheet]) -> int | None:
    """Our template says its fiscal year on its instruction sheet (A: 年度, B: the year)."""
    for sheet in sheets:
        if sheet.name != INSTRUCTION_SHEET:
            continue
        for row in sheet.rows[:15]:
            if len(row) >= 2 and row[0] is not None and squash(str(row[0])) == "年度":
                try:
                    return parse_fiscal_year(normalize_digits(str(row[1])))
                except DomainError:
                    return None
    return None


def _dated_fiscal_year(sheet: Sheet, header_row: int, columns: list[Column]) -> int | None:
    """The fiscal year the answers' times show, before the rows are read."""
    times = [c.index for c in columns if c.role is Role.TIME]
    dates = []
    for cells in sheet.rows[header_row:]:
        for value in (cells[i] for i in times if i < len(cells)):
            try:
                read = answer_time(value)
            except AnswerError:
                continue  # the rows' reading says where
            if read is not None and record_date_refusal(read) is None:
                dates.append(read)
    return fiscal_year_of(max(dates)) if dates else None


def _answered_fiscal_year(rows: list[SurveyRow]) -> int | None:
    dates = [r.answered_on for r in rows if r.answered_on is not None]
    return fiscal_year_of(max(dates)) if dates else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
