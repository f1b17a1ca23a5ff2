"""How the workbook's sheets are described before they are written (reports/xlsx_export.py):
a ``Table`` of headers and rows, built from columns of (header, getter) over records, with the
field labels of the record kinds, choice labels and dates as Excel reads them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeAlias

from dxdesk.domain.people import person_line
from dxdesk.domain.records import KINDS, FieldType, kind_spec
from dxdesk.services.records import Record
from dxdesk.services.workspace import Workspace

CODE_HEADER = "市町村コード"
NAME_HEADER = "市町村名"
ID_HEADER = "ID"
# Columns for the app and for a re-import rather than for a reader: kept in the sheet, left off
# the printout (reports/xlsx_sheet.py), where each would cost a third of the page's width.
MACHINE_HEADERS = frozenset({"SHA-256"})
# The columns of prose (概要, メモ, 本文, 内容…, an article's people one a line): the ones given
# the most room on paper, as they hold the most text; every other column wraps sooner.
LONG_TEXT_HEADERS = frozenset(
    f.label
    for kind in KINDS
    for f in kind_spec(kind).fields
    if f.type in (FieldType.LONG_TEXT, FieldType.PEOPLE)
)
LIST_SEPARATOR = "、"

Value: TypeAlias = str | int | float | date | datetime | None


@dataclass
class Table:
    """One sheet's content before it is written: headers, rows, per-column number formats, and
    how it prints: the leading columns that go on paper (the rest stay in the file only) and the
    leading columns that name a row, repeated on each page when it prints more than one across.
    """

    name: str
    headers: list[str]
    rows: list[list[Value]]
    number_formats: dict[int, str]  # 0-based column -> format
    printed_columns: int | None = None  # None: every column
    title_columns: int = 0
    long_text: frozenset[int] | None = None  # 0-based; None: any column may be as wide


Names: TypeAlias = Callable[[str | None], str]
Getter: TypeAlias = Callable[[Record], Value]
Column: TypeAlias = tuple[str, Getter]


def municipality_names(workspace: Workspace) -> Names:
    """Code -> name over the whole roster (every record's municipality is on it)."""
    names = {str(m["code"]): str(m["name"]) for m in workspace.municipalities.roster()}
    return lambda code: names.get(code or "", "")


def label(kind: str, name: str) -> str:
    return kind_spec(kind).field(name).label


def as_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def joined(values: Iterable[str] | None) -> str:
    return LIST_SEPARATOR.join(values or ())


def people_text(people: Iterable[Mapping[str, str]] | None) -> str:
    """An article's people, one a line: 「氏名（所属・役割）連絡先」."""
    return "\n".join(
        f"{person_line(p)}　{p['contact']}" if p.get("contact") else person_line(p)
        for p in people or ()
    )


def text_column(kind: str, name: str) -> Column:
    return label(kind, name), lambda r: r[name] or ""


def day_column(kind: str, name: str) -> Column:
    return label(kind, name), lambda r: as_date(r[name])


def choice_column(kind: str, name: str, choices: Mapping[str, str]) -> Column:
    # A code this version does not know (from a newer app, via sync) is shown as it is.
    return label(kind, name), lambda r: choices.get(r[name], r[name]) if r[name] else ""


def place_columns(names: Names) -> list[Column]:
    return [
        (CODE_HEADER, lambda r: r["municipality"]),
        (NAME_HEADER, lambda r: names(r["municipality"])),
    ]


def is_machine(header: str) -> bool:
    """A record's ID (its own, its parent's: 相談記録ID, 添付先ID…) or a file's hash."""
    return header.endswith(ID_HEADER) or header in MACHINE_HEADERS


def make_table(
    name: str,
    columns: Sequence[Column],
    records: Iterable[Record],
    number_formats: Mapping[str, str] | None = None,
    title_columns: int = 0,
) -> Table:
    """The table of ``columns`` over ``records``: its trailing machine columns (is_machine) left
    off the printout, its long-text columns (LONG_TEXT_HEADERS) marked."""
    headers = [header for header, _ in columns]
    formats = {headers.index(h): f for h, f in (number_formats or {}).items()}
    printed = len(headers)
    while printed > 1 and is_machine(headers[printed - 1]):
        printed -= 1
    rows = [[get(r) for _, get in columns] for r in records]
    long_text = frozenset(i for i, h in enumerate(headers) if h in LONG_TEXT_HEADERS)
    return Table(name, headers, rows, formats, printed, title_columns, long_text)
