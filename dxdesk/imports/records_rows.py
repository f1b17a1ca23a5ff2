"""One row of a sheet of past records read as field values: its record's, its children's (a
visit's interview note and follow-up) and its ID cell, or each cell's problem.

A formula saved without its value is a problem of its cell, not a blank: the survey import
refuses such cells too. A child needs its main field (a follow-up its 内容, an interview note
its 相手 or 内容): a lone 期限 or 状態 makes no follow-up that would count as open forever.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dxdesk.domain.errors import DomainError
from dxdesk.domain.people import person_from_line
from dxdesk.domain.record_fields import clean_value
from dxdesk.domain.records import FieldSpec, FieldType, kind_spec
from dxdesk.domain.roster import Municipality
from dxdesk.imports.records_kinds import ID_FIELD, field_label, field_spec, import_kind
from dxdesk.imports.records_plan import RowProblem
from dxdesk.imports.records_sheet import SheetLayout
from dxdesk.imports.records_values import (
    CellError,
    cell_date,
    cell_list,
    cell_municipality,
    cell_text,
    cell_time,
)
from dxdesk.imports.workbook import column_letter

UNCACHED = "計算式の結果が保存されていません（Excel や LibreOffice で開いて保存し直してください）"
# A child is made only when one of these holds something: the rest say nothing on their own.
CHILD_MAIN_FIELDS = {"interview": ("interviewee", "notes"), "followup": ("description",)}


@dataclass
class RowValues:
    own_id: str  # the ID cell, "" when blank or when the sheet has no ID column
    values: dict[str, Any]
    children: dict[str, dict[str, Any]] = field(default_factory=dict)  # kind -> values


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_row(
    kind: str,
    layout: SheetLayout,
    number: int,
    cells: tuple[Any, ...],
    roster: Sequence[Municipality],
    problems: list[RowProblem],
) -> RowValues | None:
    """The row's values, or None when a cell is wrong (each such cell is a problem)."""
    row = RowValues("", {})
    sheet = layout.sheet
    ok = True
    for index, key in layout.fields.items():
        value = cells[index] if index < len(cells) else None
        letter = column_letter(index)
        if (number, index + 1) in sheet.uncached_formulas:
            problems.append(RowProblem(sheet.name, number, letter, None, UNCACHED))
            ok = False
            continue
        if key == ID_FIELD:
            row.own_id = "" if blank(value) else cell_text(value)
            continue
        spec = field_spec(kind, key)
        try:
            raw = _raw(spec, value, roster)
            cleaned = None if raw is None else clean_value(spec, raw)
        except (CellError, DomainError) as exc:
            message = f"{spec.label}: {exc}" if isinstance(exc, DomainError) else str(exc)
            problems.append(RowProblem(sheet.name, number, letter, value, message))
            ok = False
            continue
        if cleaned is None:
            continue
        if "." in key:
            child, name = key.split(".", 1)
            row.children.setdefault(child, {})[name] = cleaned
        else:
            row.values[key] = cleaned
    if not ok:
        return None
    found = _missing(kind, layout, number, row) + _lone_children(kind, layout, number, row)
    problems.extend(found)
    return None if found else row


def _missing(kind: str, layout: SheetLayout, number: int, row: RowValues) -> list[RowProblem]:
    required = [s.name for s in kind_spec(kind).fields if s.required]
    required += [f for f in import_kind(kind).required if f not in required]
    return [
        RowProblem(
            layout.sheet.name,
            number,
            layout.letter(name),
            None,
            f"{kind_spec(kind).field(name).label}が空欄です",
        )
        for name in required
        if row.values.get(name) in (None, "", [])
    ]


def _lone_children(kind: str, layout: SheetLayout, number: int, row: RowValues) -> list[RowProblem]:
    problems = []
    for child, values in row.children.items():
        main = CHILD_MAIN_FIELDS[child]
        if not any(values.get(name) for name in main):
            first = f"{child}.{main[-1]}"
            problems.append(
                RowProblem(
                    layout.sheet.name,
                    number,
                    layout.letter(first) or layout.letter(f"{child}.{next(iter(values))}"),
                    None,
                    f"{field_label(kind, first)}が空欄です（"
                    f"{'・'.join(field_label(kind, f'{child}.{n}') for n in values)}だけでは"
                    f"{kind_spec(child).label}を作れません）",
                )
            )
    return problems


def _raw(spec: FieldSpec, value: Any, roster: Sequence[Municipality]) -> Any:
    if blank(value):
        return None
    if isinstance(value, bool):  # TRUE/FALSE says nothing a text or a date could hold
        raise CellError(f"{spec.label}に TRUE/FALSE は入れられません（文字で書いてください）")
    match spec.type:
        case FieldType.MUNICIPALITY:
            return cell_municipality(roster, value)
        case FieldType.DATE:
            return cell_date(value)
        case FieldType.TIME:
            return cell_time(value)
        case FieldType.STR_LIST:
            return cell_list(value)
        case FieldType.PEOPLE:  # one a line, as the workbook export writes them
            lines = str(value).splitlines()
            return [person_from_line(line) for line in lines if line.strip()]
        case FieldType.FISCAL_YEAR if isinstance(value, int | float):
            return int(value)
        case _:
            return cell_text(value)
