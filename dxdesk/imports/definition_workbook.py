"""The survey definition workbook read and checked: every problem located by sheet, row and
column, nothing loaded (dxdesk/imports/definition_loads.py loads a checked one).

The file goes through the survey reader's defences (imports/workbook.py: size, zip bombs, XML
entities, row counts) before a cell is read. The layout is in imports/definition_sheets.py,
the questions and choices are read in imports/definition_questions.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dxdesk.domain.catalog import Catalog, catalog_versions, load_catalog
from dxdesk.domain.errors import DomainError
from dxdesk.domain.fiscal_year import parse_fiscal_year
from dxdesk.domain.survey_definition import (
    InvalidDefinition,
    SurveyDefinition,
    definition_from_json,
    definition_problems,
)
from dxdesk.imports.definition_cells import Findings, NamedRow, cell_text
from dxdesk.imports.definition_questions import (
    read_choice_lists,
    read_questions,
    unused_lists,
)
from dxdesk.imports.definition_sheets import (
    CHOICES_SHEET,
    QUESTIONS_SHEET,
    SETTINGS_KEYS,
    SETTINGS_SHEET,
    SHEET_NAMES,
    fold,
    lookup,
)
from dxdesk.imports.definition_writer import write_definition_workbook
from dxdesk.imports.survey import UNCACHED_FORMULA, Problem
from dxdesk.imports.workbook import Sheet, SurveyFileError, column_letter, read_workbook

__all__ = ["DefinitionCheck", "read_definition_workbook", "write_definition_workbook"]

YEAR_HINT = "B 列に年度（例: R6、2024）を書いてください"


@dataclass(frozen=True)
class DefinitionCheck:
    path: Path
    sha256: str
    definition: SurveyDefinition | None  # None when there are problems
    problems: list[Problem]
    notes: list[str] = field(default_factory=list)  # e.g. a choice list no question uses

    @property
    def ok(self) -> bool:
        return not self.problems


def read_definition_workbook(path: Path, *, catalog: Catalog | None) -> DefinitionCheck:
    """Check a definition workbook whole. ``catalog`` None: the one its 項目版 names, else the
    latest. A file that cannot be read at all raises SurveyFileError (a DomainError)."""
    book = read_workbook(path)
    if book.kind != "xlsx":
        raise SurveyFileError(
            "調査の定義は Excel ブック（.xlsx）で指定してください"
            "（dxdesk survey-definition export で書き出したものを編集できます）"
        )
    findings = Findings()
    definition = _read(book.sheets, catalog, findings)
    return DefinitionCheck(path, book.sha256, definition, findings.problems, findings.notes)


def _read(
    sheets: Sequence[Sheet], given: Catalog | None, findings: Findings
) -> SurveyDefinition | None:
    for sheet in sheets:
        for r, c in sorted(sheet.uncached_formulas):
            findings.add(sheet.name, r, column_letter(c - 1), None, UNCACHED_FORMULA)
    found = _sheets(sheets)
    settings, rows = _settings(found[SETTINGS_SHEET], findings)
    catalog = _catalog(settings, rows, given, findings)
    choices = found[CHOICES_SHEET]
    lists = None if choices is None else read_choice_lists(choices, findings)
    questions_sheet = found[QUESTIONS_SHEET]
    if questions_sheet is None:
        findings.missing_sheet(
            QUESTIONS_SHEET,
            "1 行目に見出し（設問番号、ページ、設問、形式…）、"
            "2 行目から 1 行に 1 問を書いてください",
        )
        return None
    questions = read_questions(questions_sheet, lists, catalog, findings)
    findings.notes += [
        f"選択肢リスト「{name}」はどの設問にも使われていません（そのままでも読み込めます）"
        for name in unused_lists(lists)
    ]
    if findings.problems or settings.get("fiscal_year") is None:
        return None
    definition = SurveyDefinition(
        fiscal_year=settings["fiscal_year"],
        prefecture=settings.get("prefecture") or "",
        title=settings.get("title") or "",
        questions=tuple(questions),
        choice_lists={name: tuple(listed) for name, listed in (lists or {}).items()},
        catalog_version=settings.get("catalog_version") or catalog.version,
    )
    # The rules the stored record is held to: a definition that passes here loads.
    leftover = definition_problems(definition, catalog)
    try:
        definition_from_json(definition.as_json())
    except InvalidDefinition as exc:
        leftover.append(str(exc))
    for message in leftover:
        findings.add(questions_sheet.name, None, None, None, message)
    return None if leftover else definition


def _sheets(sheets: Sequence[Sheet]) -> dict[str, Sheet | None]:
    by_name = {fold(s.name): s for s in sheets}
    return {
        name: next((by_name[fold(n)] for n in (name, *others) if fold(n) in by_name), None)
        for name, others in SHEET_NAMES.items()
    }


def _settings(
    sheet: Sheet | None, findings: Findings
) -> tuple[dict[str, Any], dict[str, NamedRow]]:
    """The 設定 sheet's values by key, and the row each was on. Other keys are notes."""
    if sheet is None:
        findings.missing_sheet(SETTINGS_SHEET, f"A 列に「年度」、{YEAR_HINT}")
        return {}, {}
    keys = lookup(SETTINGS_KEYS)
    values: dict[str, Any] = {}
    rows: dict[str, NamedRow] = {}
    for number, raw in enumerate(sheet.rows, start=1):
        key = keys.get(fold(cell_text(raw[0]) if raw else ""))
        if key is None:
            continue
        value = raw[1] if len(raw) > 1 else None
        row = NamedRow(sheet, number, {"key": (0, raw[0]), "value": (1, value)})
        if key in rows:
            label = SETTINGS_KEYS[key][0]
            findings.at(
                row, "key", f"{label} が {rows[key].number} 行目にもあります。1 行にしてください"
            )
            continue
        rows[key] = row
        values[key] = _setting(row, key, findings)
    if "fiscal_year" not in rows:
        findings.add(
            sheet.name, None, "A", None, f"「年度」の行がありません。A 列に「年度」、{YEAR_HINT}"
        )
    return values, rows


def _setting(row: NamedRow, key: str, findings: Findings) -> Any:
    text = row.text("value")
    if key == "fiscal_year":
        if not text:
            findings.at(row, "value", f"年度が空欄です。{YEAR_HINT}")
            return None
        raw = row.value("value")
        try:
            return parse_fiscal_year(raw if isinstance(raw, int) else text)
        except DomainError as exc:
            findings.at(row, "value", str(exc))
            return None
    limit = 20 if key == "catalog_version" else 200
    if len(text) > limit:
        findings.at(row, "value", f"{SETTINGS_KEYS[key][0]} は {limit} 文字までにしてください")
        return None
    return text


def _catalog(
    settings: Mapping[str, Any],
    rows: Mapping[str, NamedRow],
    given: Catalog | None,
    findings: Findings,
) -> Catalog:
    """The catalog the scored questions are checked against: ``given``, else the version the
    workbook names (a problem when it differs from ``given`` or is not known here)."""
    version = settings.get("catalog_version")
    row = rows.get("catalog_version")
    if given is not None:
        if version and row is not None and version != given.version:
            findings.at(
                row,
                "value",
                f"項目版 {version} は、照合するアセスメント項目の版 {given.version} と違います",
            )
        return given
    if version and version not in catalog_versions():
        if row is not None:
            known = "、".join(catalog_versions())
            findings.at(
                row,
                "value",
                f"項目版 {version} のアセスメント項目はありません（あるもの: {known}）",
            )
        return load_catalog()
    return load_catalog(version or None)
