"""A sheet of past records as a plan (what each row creates or updates, and every error by
sheet, row and column), then written all or nothing in one transaction.

Each row keeps a stable record id: the ID column's value when it is a record id (a sheet this
app exported), else uuid5 of the kind and the row's ID column, or, when the sheet
has none, of the row's key fields (records_kinds: a visit's municipality, date and title) and its
place among rows with the same key. Importing the same file again finds every record already
there; a row whose other cells were edited since is an update of the same record. An update
writes only the cells that differ, and a blank cell never clears what the record holds: the
sheet may be older than what was typed in the app since. What each row said is kept
(services/import_marks, this laptop only), so a re-import changes only what the file changed.
A visit's row may carry an interview note and a follow-up, each a record of its own whose id
follows the visit's.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from dxdesk.domain.errors import DomainError
from dxdesk.domain.people import person_from_line
from dxdesk.domain.record_fields import clean_value, to_json_value
from dxdesk.domain.records import FieldSpec, FieldType, kind_spec
from dxdesk.domain.roster import Municipality, load_roster
from dxdesk.imports.records_kinds import ID_FIELD, field_spec, import_kind
from dxdesk.imports.records_plan import STALE, ChildChange, RecordsPlan, RowChange, RowProblem
from dxdesk.imports.records_plan import StalePlan as StalePlan
from dxdesk.imports.records_sheet import (
    Overrides,
    SheetLayout,
    find_layout,
    missing_fields,
    refuse_kind,
)
from dxdesk.imports.records_values import (
    CellError,
    cell_date,
    cell_list,
    cell_municipality,
    cell_text,
    cell_time,
)
from dxdesk.imports.workbook import (
    SurveyFileError,
    column_letter,
    read_workbook,
    with_merged_filled,
)
from dxdesk.services.assignment import not_assigned_message
from dxdesk.services.import_marks import keep_marks, mark_of
from dxdesk.services.records import RecordFacade
from dxdesk.services.workspace import Workspace

_NAMESPACE = uuid.UUID("6f1c3f7e-2b52-5d8e-9a41-0d5e3c2a7b10")  # fixed: ids must not move


def plan_records(
    ws: Workspace,
    kind: str,
    path: Path,
    overrides: Overrides | None = None,
    roster: Sequence[Municipality] | None = None,
    skip_rows: Collection[int] = (),
) -> RecordsPlan:
    refuse_kind(kind)
    sheets = [with_merged_filled(s) for s in read_workbook(path).sheets]
    layout = find_layout(sheets, kind, overrides or {})
    roster = load_roster() if roster is None else roster
    plan = RecordsPlan(
        kind,
        layout.sheet.name,
        layout.header_row,
        {column_letter(i): f for i, f in sorted(layout.fields.items())},
        layout,
    )
    missing = missing_fields(kind, layout)
    if missing:  # an error of the header row: the person maps a column, or fixes the file
        plan.problems.append(
            RowProblem(
                layout.sheet.name,
                layout.header_row,
                "",
                None,
                f"{'・'.join(missing)}の列がありません（見出しを直すか、どの列がそれか指定して"
                "ください）",
            )
        )
        return plan
    with ws.store.session() as session:  # one session: a lookup per row, not a connection
        _plan_rows(ws, session, layout, roster, plan, set(skip_rows))
    return plan


def _plan_rows(
    ws: Workspace,
    session: Session,
    layout: SheetLayout,
    roster: Sequence[Municipality],
    plan: RecordsPlan,
    skip_rows: set[int],
) -> None:
    kind = plan.kind
    facade = ws.records(kind)
    seen: dict[str, int] = {}
    occurrences: Counter[str] = Counter()
    rows = layout.sheet.rows
    for number in range(layout.header_row + 1, len(rows) + 1):
        cells = rows[number - 1]
        if all(_blank(c) for c in cells):
            continue
        if number in skip_rows:
            plan.skipped.append(number)
            continue
        read = _read_row(kind, layout, number, cells, roster, plan.problems)
        if read is None:
            continue
        own_id, values, children = read
        if own_id:
            identity = f"id\n{own_id}"
        else:  # the key and its place among equal keys: two visits on one day stay two
            key = _content({f: values.get(f) for f in import_kind(kind).key})
            identity = f"key\n{key}\n{occurrences[key]}"
            occurrences[key] += 1
        record_id = _record_id(kind, own_id) or str(uuid.uuid5(_NAMESPACE, f"{kind}\n{identity}"))
        if record_id in seen:
            plan.problems.append(
                RowProblem(
                    layout.sheet.name,
                    number,
                    layout.letter(ID_FIELD),
                    own_id,
                    f"{seen[record_id]} 行目と同じ ID です（どちらかの ID を直してください）",
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
        action, changed = _action(facade, session, record_id, values)
        child_changes = []
        for child, child_values in children.items():
            child_id = str(uuid.uuid5(_NAMESPACE, f"{child}\n{record_id}"))
            child_values = {"engagement": record_id, **child_values}
            child_action, child_changed = _action(
                ws.records(child), session, child_id, child_values
            )
            child_changes.append(
                ChildChange(child, child_id, child_action, child_values, child_changed)
            )
        plan.changes.append(
            RowChange(number, record_id, action, values, changed, tuple(child_changes))
        )


def _read_row(
    kind: str,
    layout: SheetLayout,
    number: int,
    cells: tuple[Any, ...],
    roster: Sequence[Municipality],
    problems: list[RowProblem],
) -> tuple[str, dict[str, Any], dict[str, dict[str, Any]]] | None:
    """The row's ID cell, its record's values and its children's (by kind), or None when a
    cell is wrong (each such cell is a problem)."""
    values: dict[str, Any] = {}
    children: dict[str, dict[str, Any]] = {}
    own_id = ""
    ok = True
    for index, key in layout.fields.items():
        value = cells[index] if index < len(cells) else None
        if key == ID_FIELD:
            own_id = "" if _blank(value) else cell_text(value)
            continue
        spec = field_spec(kind, key)
        try:
            raw = _raw(spec, value, roster)
            cleaned = None if raw is None else clean_value(spec, raw)
        except (CellError, DomainError) as exc:
            message = f"{spec.label}: {exc}" if isinstance(exc, DomainError) else str(exc)
            problems.append(
                RowProblem(layout.sheet.name, number, column_letter(index), value, message)
            )
            ok = False
            continue
        if cleaned is None:
            continue
        if "." in key:
            child, name = key.split(".", 1)
            children.setdefault(child, {})[name] = cleaned
        else:
            values[key] = cleaned
    required = [s.name for s in kind_spec(kind).fields if s.required]
    required += [f for f in import_kind(kind).required if f not in required]
    for name in required if ok else ():
        if values.get(name) in (None, "", []):
            label = kind_spec(kind).field(name).label
            problems.append(
                RowProblem(
                    layout.sheet.name, number, layout.letter(name), None, f"{label}が空欄です"
                )
            )
            ok = False
    return (own_id, values, children) if ok else None


def _record_id(kind: str, own_id: str) -> str | None:
    """The record's own id when the ID cell holds one (a sheet this app exported): a round trip
    through Excel updates the records it came from rather than adding copies."""
    try:
        parsed = uuid.UUID(own_id)
    except ValueError:
        return None
    return str(parsed) if str(parsed) == own_id.lower() else None


def _content(values: Mapping[str, Any]) -> str:
    return json.dumps(
        {k: to_json_value(v) for k, v in values.items()}, sort_keys=True, ensure_ascii=False
    )


def _raw(spec: FieldSpec, value: Any, roster: Sequence[Municipality]) -> Any:
    if _blank(value):
        return None
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


def _action(
    facade: RecordFacade, session: Session, record_id: str, values: dict[str, Any]
) -> tuple[str, tuple[str, ...]]:
    """What the row does to its record, and the fields it changes. Where the row was imported
    here before, a cell counts only when it differs from what the row said then: a field edited
    in the app since stays as typed unless the file changed it too."""
    row = session.get(facade.table, record_id)
    if row is None:
        return "create", ()
    if row.deleted:
        return "deleted", ()  # removed here on purpose: an import does not bring it back
    stored = facade.field_values(row)
    before = mark_of(session, record_id) or {}
    changed = tuple(
        k
        for k, v in values.items()
        if to_json_value(stored.get(k)) != to_json_value(v)
        and (k not in before or before[k] != to_json_value(v))
    )
    return ("update" if changed else "unchanged"), changed


def apply_records(ws: Workspace, plan: RecordsPlan) -> int:
    """Write the plan's creates and updates in one transaction; nothing when it has errors.
    Returns how many records were written, the rows' interview notes and follow-ups included."""
    if plan.problems:
        raise SurveyFileError(f"エラーが {len(plan.problems)} 件あるため、何も書き込みませんでした")
    facade = ws.records(plan.kind)
    written = 0
    marks: list[tuple[str, str, dict[str, Any]]] = []
    with ws.store.transaction() as session:
        _refuse_stale(ws, session, plan)
        for change in plan.changes:
            written += _write(facade, session, change.action, change.record_id, change, marks)
            for child in change.children:
                child_facade = ws.records(child.kind)
                written += _write(
                    child_facade, session, child.action, child.record_id, child, marks
                )
        keep_marks(session, marks)
    return written


def _refuse_stale(ws: Workspace, session: Session, plan: RecordsPlan) -> None:
    """Raise ``StalePlan`` when the store moved since the plan was made (a sync, another import,
    an assignment changed): the person sees a fresh plan rather than a half-understood error."""
    places = {c.municipality for c in plan.changes if c.writes and c.municipality}
    if any(not_assigned_message(session, code) for code in places):
        raise StalePlan(STALE)
    for change in plan.changes:
        pairs = [(plan.kind, change.record_id, change.action)]
        pairs += [(c.kind, c.record_id, c.action) for c in change.children]
        for kind, record_id, action in pairs:
            row = session.get(ws.records(kind).table, record_id)
            now = "create" if row is None else "deleted" if row.deleted else "stored"
            then = action if action in ("create", "deleted") else "stored"
            if now != then:
                raise StalePlan(STALE)


def _write(
    facade: RecordFacade,
    session: Session,
    action: str,
    record_id: str,
    change: RowChange | ChildChange,
    marks: list[tuple[str, str, dict[str, Any]]],
) -> int:
    if action == "deleted":
        return 0
    marks.append((facade.kind, record_id, {k: to_json_value(v) for k, v in change.values.items()}))
    if action == "create":
        facade.add_in(session, {"id": record_id, **change.values})
        return 1
    if action == "update":  # only what differs: a field the sheet leaves alone stays as typed
        facade.update_in(session, record_id, {k: change.values[k] for k in change.changed})
        return 1
    return 0


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
