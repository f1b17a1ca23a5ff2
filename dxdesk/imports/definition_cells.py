"""The definition workbook's sheets as rows of named cells, and the problems found in them,
each located by sheet, row and column letter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from dxdesk.imports.definition_sheets import FALSE_MARKS, SHEET_NAMES, TRUE_MARKS, fold, lookup
from dxdesk.imports.survey import Problem
from dxdesk.imports.workbook import Sheet, column_letter

Columns = Mapping[str, tuple[str, tuple[str, ...]]]


@dataclass(frozen=True)
class NamedRow:
    sheet: Sheet
    number: int  # 1-based, as Excel shows it
    cells: Mapping[str, tuple[int, Any]]  # field -> (0-based column, value)

    def text(self, name: str) -> str:
        return cell_text(self.cells[name][1]) if name in self.cells else ""

    def letter(self, name: str) -> str | None:
        return column_letter(self.cells[name][0]) if name in self.cells else None

    def value(self, name: str) -> Any:
        return self.cells[name][1] if name in self.cells else None


@dataclass
class Findings:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth a word, not a reason to refuse

    def at(self, row: NamedRow, name: str | None, message: str) -> None:
        """A problem in ``row``, in the column of ``name`` (the whole row when None)."""
        column = None if name is None else row.letter(name)
        value = None if name is None else row.value(name)
        self.problems.append(Problem(row.sheet.name, row.number, column, value, message))

    def add(
        self, sheet: str, row: int | None, column: str | None, value: Any, message: str
    ) -> None:
        self.problems.append(Problem(sheet, row, column, value, message))

    def missing_sheet(self, name: str, why: str) -> None:
        english = "・".join(SHEET_NAMES[name])
        self.add(name, None, None, None, f"シート「{name}」（{english}）がありません。{why}")

    def mark(self, row: NamedRow, name: str) -> bool:
        """A ○ cell (必須, 要確認): ○, はい, TRUE, 1 or blank."""
        raw = row.value(name)
        if isinstance(raw, bool):
            return raw
        text = fold(row.text(name))
        if text in TRUE_MARKS:
            return True
        if text not in FALSE_MARKS:
            self.at(row, name, "○ か空欄にしてください")
        return False

    def __len__(self) -> int:
        return len(self.problems)


def read_table(
    sheet: Sheet, columns: Columns, required: Sequence[str], findings: Findings
) -> list[NamedRow]:
    """The rows under the header (row 1) of ``sheet``, its columns found by their names."""
    header = sheet.rows[0] if sheet.rows else ()
    names = lookup(columns)
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = names.get(fold(cell_text(raw)))
        if name is None:
            continue  # a column of the secretariat's own notes
        if name in found:
            findings.add(
                sheet.name,
                1,
                column_letter(index),
                raw,
                f"見出し「{columns[name][0]}」が {column_letter(found[name])} 列にもあります。"
                "1 列にしてください",
            )
            continue
        found[name] = index
    missing = [columns[f][0] for f in required if f not in found]
    if missing:
        findings.add(
            sheet.name,
            1,
            None,
            None,
            f"1 行目に見出し「{'」「'.join(missing)}」がありません（列の順は自由です）",
        )
        return []
    return [
        NamedRow(
            sheet, number, {f: (i, raw[i] if i < len(raw) else None) for f, i in found.items()}
        )
        for number, raw in enumerate(sheet.rows[1:], start=2)
    ]


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a stray ".0", dates as ISO, blanks as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
