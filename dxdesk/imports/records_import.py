"""A sheet of past records as a plan (what each row creates or updates, and every error by
sheet, row and column), then written all or nothing in one transaction.

Which record a row is: imports/records_identity.py. Importing the same file again finds every
record already there; a row whose cells were edited since is an update of the same record. An
update writes only the cells the file changed since the row was last imported on this laptop
(services/import_marks): a field typed in the app since stays, and a blank cell never clears a
field. A record no import wrote here (another laptop's import, an exported workbook) takes only
the cells it has blank; the cells that differ are listed as kept. A visit's row may carry an
interview note and a follow-up, each a record of its own whose id follows the visit's.

A merged cell fills the rows it covers in its own column only: a 概要 merged across three columns
is not also a list of 対応者. The rules the write enforces (times in order, a national scheme on
its type, a parent that is there) are checked at each row while planning, so a plan without
problems writes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.domain.errors import FieldRefusal
from dxdesk.domain.record_fields import to_json_value
from dxdesk.domain.records import FieldType, kind_spec
from dxdesk.domain.roster import Municipality, load_roster
from dxdesk.imports.records_identity import (
    child_id,
    derived_id,
    key_of,
    matched_by_mark,
)
from dxdesk.imports.records_kinds import ID_FIELD, import_kind
from dxdesk.imports.records_plan import STALE, ChildChange, RecordsPlan, RowChange, RowProblem
from dxdesk.imports.records_plan import StalePlan as StalePlan
from dxdesk.imports.records_rows import RowValues, blank, read_row
from dxdesk.imports.records_sheet import (
    Overrides,
    SheetLayout,
    find_layouts,
    missing_fields,
    pick_layout,
    refuse_kind,
    refuse_unknown_headers,
)
from dxdesk.imports.workbook import (
    Sheet,
    SurveyFileError,
    column_letter,
    read_workbook,
    with_merged_filled,
)
from dxdesk.services.assignment import not_assigned_message
from dxdesk.services.import_marks import keep_marks, marks_of_kind
from dxdesk.services.records import RecordFacade
from dxdesk.services.workspace import Workspace

Marks = dict[str, tuple[str, dict[str, Any]]]  # record id -> (source, what its row said)
_BATCH = 500  # ids a query looks up at once (SQLite's bound-parameter limit, with room)


def plan_records(
    ws: Workspace,
    kind: str,
    path: Path,
    overrides: Overrides | None = None,
    roster: Sequence[Municipality] | None = None,
    skip_rows: Collection[int] = (),
    sheet: str | None = None,
) -> RecordsPlan:
    """What importing the sheet (the best of the workbook, or the one named) would do."""
    refuse_kind(kind)
    overrides = overrides or {}
    sheets = [_merged_down(s) for s in read_workbook(path).sheets]
    layouts = find_layouts(sheets, kind, overrides)  # once: each header cell is compared
    layout = pick_layout(sheets, layouts, kind, sheet)
    refuse_unknown_headers(layout, overrides)
    roster = load_roster() if roster is None else roster
    plan = RecordsPlan(
        kind,
        layout.sheet.name,
        layout.header_row,
        {column_letter(i): f for i, f in sorted(layout.fields.items())},
        layout,
        source=f"{path.name}\n{layout.sheet.name}",
        other_sheets=_other_sheets(sheets, layouts, layout),
        sheet_order=[s.name for s in sheets],
        defaults=_defaults(kind, layout),
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
    with ws.store.session() as session:
        _plan_rows(ws, session, layout, roster, plan, set(skip_rows))
    return plan


def _other_sheets(
    sheets: list[Sheet], layouts: list[SheetLayout], chosen: SheetLayout
) -> list[str]:
    """The other sheets with a header of the kind, in the workbook's order (as its tabs are)."""
    fitting = {layout.sheet.name for layout in layouts}
    return [s.name for s in sheets if s.name in fitting and s.name != chosen.sheet.name]


def _merged_down(sheet: Sheet) -> Sheet:
    """The sheet with each merged range filled down its first column only."""
    narrowed = tuple((top, left, bottom, left) for top, left, bottom, _right in sheet.merged)
    return with_merged_filled(replace(sheet, merged=narrowed))


def _defaults(kind: str, layout: SheetLayout) -> dict[str, str]:
    """The choices every row gets because no column holds them (種別: 訪問, 形式: 対面 …)."""
    mapped = set(layout.fields.values())
    return {
        spec.label: spec.choices[spec.default_choice]
        for spec in kind_spec(kind).fields
        if spec.type is FieldType.CHOICE
        and spec.default_choice
        and spec.name not in mapped
        and spec.choices
    }


def _plan_rows(
    ws: Workspace,
    session: Session,
    layout: SheetLayout,
    roster: Sequence[Municipality],
    plan: RecordsPlan,
    skip_rows: set[int],
) -> None:
    kind = plan.kind
    read: list[tuple[int, RowValues, str]] = []
    occurrences: Counter[tuple[str, ...]] = Counter()
    seen: dict[str, int] = {}
    rows = layout.sheet.rows
    for number in range(layout.header_row + 1, len(rows) + 1):
        cells = rows[number - 1]
        if all(blank(c) for c in cells):
            continue
        problems: list[RowProblem] = []
        row = read_row(kind, layout, number, cells, roster, problems)
        # Rows left out still take their place among equal keys: ids stay where they were.
        key = key_of(kind, row.values) if row is not None else None
        occurrence = occurrences[key] if key is not None else 0
        if key is not None:
            occurrences[key] += 1
        if number in skip_rows:
            plan.skipped.append(number)
            continue
        plan.problems.extend(problems)
        if row is None or key is None:
            continue
        record_id = derived_id(kind, row.own_id, key, occurrence)
        if record_id in seen:
            plan.problems.append(
                RowProblem(
                    layout.sheet.name,
                    number,
                    layout.letter(ID_FIELD),
                    row.own_id,
                    f"{seen[record_id]} 行目と同じ ID です（どちらかの ID を直してください）",
                )
            )
            continue
        seen[record_id] = number
        read.append((number, row, record_id))
    stored = _stored(ws, session, kind, [record_id for _n, _r, record_id in read])
    marks = marks_of_kind(session, kind)
    read = _matched_by_marks(kind, plan.source, read, stored, marks)
    stored.update(_stored(ws, session, kind, [i for _n, _r, i in read if i not in stored]))
    for child in import_kind(kind).children:  # ids are unique across kinds: one lookup each
        ids = [child_id(child, i) for _n, row, i in read if child in row.children]
        stored.update(_stored(ws, session, child, ids))
        marks.update(marks_of_kind(session, child))
    refusals: dict[str, str | None] = {}
    for number, row, record_id in read:
        code = row.values.get("municipality")
        if isinstance(code, str):
            if code not in refusals:
                refusals[code] = not_assigned_message(session, code)
            if refusals[code]:  # found now, by row, not by the write rolling everything back
                column = layout.letter("municipality")
                plan.problems.append(
                    RowProblem(layout.sheet.name, number, column, code, str(refusals[code]))
                )
                continue
        change = _row_change(ws, session, layout, number, row, record_id, stored, marks, plan)
        if change is not None:
            plan.changes.append(change)


def _stored(ws: Workspace, session: Session, kind: str, ids: list[str]) -> dict[str, Any]:
    """The records of these ids that the store holds, deleted ones included (a few queries)."""
    table = ws.records(kind).table
    found: dict[str, Any] = {}
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        found.update({r.id: r for r in session.scalars(select(table).where(table.id.in_(chunk)))})
    return found


def _matched_by_marks(
    kind: str,
    source: str,
    read: list[tuple[int, RowValues, str]],
    stored: Mapping[str, Any],
    marks: Marks,
) -> list[tuple[int, RowValues, str]]:
    """Rows known by their key whose record is not there, matched to a record an earlier import
    of the same sheet wrote here (records_identity)."""
    ours = {i: values for i, (src, values) in marks.items() if src == source}
    claimed = {record_id for _n, _row, record_id in read if record_id in stored}
    matched = []
    for number, row, record_id in read:
        if record_id not in stored and not row.own_id:
            found = matched_by_mark(kind, key_of(kind, row.values), ours, claimed)
            if found is not None:
                claimed.add(found)
                record_id = found
        matched.append((number, row, record_id))
    return matched


def _row_change(
    ws: Workspace,
    session: Session,
    layout: SheetLayout,
    number: int,
    row: RowValues,
    record_id: str,
    stored: Mapping[str, Any],
    marks: Marks,
    plan: RecordsPlan,
) -> RowChange | None:
    facade = ws.records(plan.kind)
    mark = marks.get(record_id, (None, None))[1]
    action, changed, kept = _action(facade, stored.get(record_id), row.values, mark)
    refusal = _refusal(facade, session, action, record_id, row.values, changed)
    children: list[ChildChange] = []
    for child, values in row.children.items():
        child_record = child_id(child, record_id)
        values = {"engagement": record_id, **values}
        child_facade = ws.records(child)
        if action == "deleted":  # the visit was removed here: its note and follow-up go with it
            continue
        child_mark = marks.get(child_record, (None, None))[1]
        child_action, child_changed, child_kept = _action(
            child_facade, stored.get(child_record), values, child_mark
        )
        if refusal is None and action != "create":  # a new visit's children are checked by it
            found = _refusal(
                child_facade, session, child_action, child_record, values, child_changed
            )
            refusal = _prefixed(found, child) if found is not None else None
        children.append(
            ChildChange(child, child_record, child_action, values, child_changed, child_kept)
        )
    if refusal is not None:
        fields = list(refusal.refused)
        column = layout.letter(fields[0]) if fields else ""
        plan.problems.append(RowProblem(layout.sheet.name, number, column, None, str(refusal)))
        return None
    return RowChange(number, record_id, action, row.values, changed, tuple(children), kept)


def _prefixed(refusal: FieldRefusal, child: str) -> FieldRefusal:
    """The refusal with its fields named as the sheet's columns name a child's ("followup.due")."""
    return FieldRefusal(
        str(refusal),
        refused={f"{child}.{name}": reason for name, reason in refusal.refused.items()},
    )


def _refusal(
    facade: RecordFacade,
    session: Session,
    action: str,
    record_id: str,
    values: dict[str, Any],
    changed: tuple[str, ...],
) -> FieldRefusal | None:
    if action == "create":
        return facade.refusal_in(session, values)
    if action == "update":
        return facade.refusal_in(session, {k: values[k] for k in changed}, record_id)
    return None


def _action(
    facade: RecordFacade,
    row: Any,
    values: dict[str, Any],
    mark: Mapping[str, Any] | None,
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """What the row does to its record: the action, the fields it writes and those it keeps.

    With a mark (the row was imported here before), a cell counts only when it differs from
    what the row said then: a field edited in the app since stays unless the file changed it
    too. Without one, the file only fills the record's blank fields."""
    if row is None:
        return "create", (), ()
    if row.deleted:
        return "deleted", (), ()  # removed here on purpose: an import does not bring it back
    stored = facade.field_values(row)
    changed: list[str] = []
    kept: list[str] = []
    for name, value in values.items():
        new, old = to_json_value(value), to_json_value(stored.get(name))
        if new == old:
            continue
        if mark is not None:
            if mark.get(name, object()) != new:
                changed.append(name)
        elif old in (None, "", [], {}):
            changed.append(name)
        else:
            kept.append(name)
    return ("update" if changed else "unchanged"), tuple(changed), tuple(kept)


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
        keep_marks(session, plan.source, marks)
    return written


def _refuse_stale(ws: Workspace, session: Session, plan: RecordsPlan) -> None:
    """Raise ``StalePlan`` when the store moved since the plan was made (a sync, another import,
    an assignment changed): the person sees a fresh plan rather than a half-understood error."""
    places = {c.municipality for c in plan.changes if c.writes and c.municipality}
    if any(not_assigned_message(session, code) for code in places):
        raise StalePlan(STALE)
    pairs = [(plan.kind, c.record_id, c.action) for c in plan.changes]
    pairs += [
        (child.kind, child.record_id, child.action) for c in plan.changes for child in c.children
    ]
    rows: dict[str, Any] = {}
    for kind in {kind for kind, _id, _action in pairs}:  # a few queries, not one a record
        rows.update(_stored(ws, session, kind, [i for k, i, _a in pairs if k == kind]))
    for _kind, record_id, action in pairs:
        row = rows.get(record_id)
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
