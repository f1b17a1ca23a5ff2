"""A sheet of past records as a plan (what each row creates or updates, and every error by
sheet, row and column), then written all or nothing in one transaction.

Each row keeps a stable record id, uuid5 of the kind and the row's ID column, or of the row's
normalised content when the sheet has none: importing the same file again finds every record
already there, and a row whose ID is the same but whose content changed is an update.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from dxdesk.domain.errors import DomainError
from dxdesk.domain.record_fields import clean_value, to_json_value
from dxdesk.domain.records import FieldType, kind_spec
from dxdesk.domain.roster import Municipality, load_roster
from dxdesk.imports.records_sheet import ID_FIELD, SheetLayout, find_layout, refuse_kind
from dxdesk.imports.records_values import (
    CellError,
    cell_date,
    cell_list,
    cell_municipality,
    cell_text,
    cell_time,
)
from dxdesk.imports.workbook import SurveyFileError, column_letter, read_workbook
from dxdesk.services.assignment import not_assigned_message
from dxdesk.services.records import RecordFacade
from dxdesk.services.workspace import Workspace

_NAMESPACE = uuid.UUID("6f1c3f7e-2b52-5d8e-9a41-0d5e3c2a7b10")  # fixed: ids must not move


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    row: int
    column: str
    value: Any
    message: str

    def as_json(self) -> dict[str, Any]:
        value = self.value if self.value is None else str(self.value)
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": value,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = f"シート「{self.sheet}」{self.row} 行目" + (
            f" {self.column} 列" if self.column else ""
        )
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RowChange:
    row: int
    record_id: str
    action: str  # "create", "update", "unchanged" or "deleted" (tombstoned here: left alone)
    values: dict[str, Any]  # the sheet's fields, cleaned

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "id": self.record_id,
            "action": self.action,
            "values": {k: to_json_value(v) for k, v in self.values.items()},
        }


@dataclass
class RecordsPlan:
    kind: str
    sheet: str
    header_row: int
    columns: dict[str, str]  # column letter -> field
    changes: list[RowChange] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(c.action == action for c in self.changes)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": self.columns,
            "created": self.count("create"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
            "deleted": self.count("deleted"),
            "changes": [c.as_json() for c in self.changes],
            "errors": [p.as_json() for p in self.problems],
        }


def plan_records(
    ws: Workspace,
    kind: str,
    path: Path,
    overrides: Mapping[str, str | None] | None = None,
    roster: Sequence[Municipality] | None = None,
) -> RecordsPlan:
    refuse_kind(kind)
    layout = find_layout(read_workbook(path).sheets, kind, overrides or {})
    roster = load_roster() if roster is None else roster
    plan = RecordsPlan(
        kind,
        layout.sheet.name,
        layout.header_row,
        {column_letter(i): f for i, f in sorted(layout.fields.items())},
    )
    with ws.store.session() as session:  # one session: a lookup per row, not a connection
        _plan_rows(ws.records(kind), session, layout, roster, plan)
    return plan


def _plan_rows(
    facade: RecordFacade,
    session: Session,
    layout: SheetLayout,
    roster: Sequence[Municipality],
    plan: RecordsPlan,
) -> None:
    kind = facade.kind
    seen: dict[str, int] = {}
    rows = layout.sheet.rows
    for number in range(layout.header_row + 1, len(rows) + 1):
        cells = rows[number - 1]
        if all(_blank(c) for c in cells):
            continue
        read = _read_row(kind, layout, number, cells, roster, plan.problems)
        if read is None:
            continue
        identity, values = read
        record_id = str(uuid.uuid5(_NAMESPACE, f"{kind}\n{identity}"))
        if record_id in seen:
            plan.problems.append(
                RowProblem(
                    layout.sheet.name,
                    number,
                    layout.letter(ID_FIELD),
                    None,
                    f"{seen[record_id]} 行目と同じ記録です（重複を消してください）",
                )
            )
            continue
        seen[record_id] = number
        code = values.get("municipality")
        refusal = not_assigned_message(session, code) if isinstance(code, str) else None
        if refusal:  # found now, by row, rather than by the write rolling everything back
            column = layout.letter("municipality")
            plan.problems.append(RowProblem(layout.sheet.name, number, column, code, refusal))
            continue
        plan.changes.append(
            RowChange(number, record_id, _action(facade, session, record_id, values), values)
        )


def _read_row(
    kind: str,
    layout: SheetLayout,
    number: int,
    cells: tuple[Any, ...],
    roster: Sequence[Municipality],
    problems: list[RowProblem],
) -> tuple[str, dict[str, Any]] | None:
    spec = kind_spec(kind)
    values: dict[str, Any] = {}
    own_id = ""
    ok = True
    for index, name in layout.fields.items():
        value = cells[index] if index < len(cells) else None
        if name == ID_FIELD:
            own_id = "" if _blank(value) else cell_text(value)
            continue
        field_spec = spec.field(name)
        try:
            raw = _raw(field_spec.type, value, roster)
            values[name] = None if raw is None else clean_value(field_spec, raw)
        except (CellError, DomainError) as exc:
            problems.append(
                RowProblem(
                    layout.sheet.name,
                    number,
                    column_letter(index),
                    value,
                    f"{field_spec.label}: {exc}" if isinstance(exc, DomainError) else str(exc),
                )
            )
            ok = False
    for field_spec in spec.fields:
        if field_spec.required and values.get(field_spec.name) in (None, "", []) and ok:
            problems.append(
                RowProblem(
                    layout.sheet.name,
                    number,
                    layout.letter(field_spec.name),
                    None,
                    f"{field_spec.label}が空欄です",
                )
            )
            ok = False
    if not ok:
        return None
    values = {k: v for k, v in values.items() if v is not None}
    if own_id:
        return f"id\n{own_id}", values
    content = json.dumps(
        {k: to_json_value(v) for k, v in values.items()}, sort_keys=True, ensure_ascii=False
    )
    return f"row\n{content}", values


def _raw(kind: FieldType, value: Any, roster: Sequence[Municipality]) -> Any:
    if _blank(value):
        return None
    match kind:
        case FieldType.MUNICIPALITY:
            return cell_municipality(roster, value)
        case FieldType.DATE:
            return cell_date(value)
        case FieldType.TIME:
            return cell_time(value)
        case FieldType.STR_LIST:
            return cell_list(value)
        case _:
            return cell_text(value)


def _action(facade: RecordFacade, session: Session, record_id: str, values: dict[str, Any]) -> str:
    row = session.get(facade.table, record_id)
    if row is None:
        return "create"
    if row.deleted:
        return "deleted"  # removed here on purpose: an import does not bring it back
    stored = facade.field_values(row)
    same = all(to_json_value(stored.get(k)) == to_json_value(v) for k, v in values.items())
    return "unchanged" if same else "update"


def apply_records(ws: Workspace, plan: RecordsPlan) -> int:
    """Write the plan's creates and updates in one transaction; nothing when it has errors."""
    if plan.problems:
        raise SurveyFileError(f"エラーが {len(plan.problems)} 件あるため、何も書き込みませんでした")
    facade = ws.records(plan.kind)
    written = 0
    with ws.store.transaction() as session:
        for change in plan.changes:
            if change.action == "create":
                facade.add_in(session, {"id": change.record_id, **change.values})
            elif change.action == "update":
                facade.update_in(session, change.record_id, change.values)
            else:
                continue
            written += 1
    return written


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
