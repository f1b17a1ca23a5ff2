"""Applying a push: all of it in one transaction, field by field, scoped, audited, replayable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import JsonValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.errors import DomainError
from dxdesk.domain.merge import Outcome, merge_field
from dxdesk.domain.record_fields import clean_fields, clean_value, to_json_value
from dxdesk.domain.records import (
    COORDINATOR_KINDS,
    MAX_FILE_BYTES,
    FieldSpec,
    FieldType,
    InvalidField,
    KindSpec,
    Scope,
    kind_spec,
)
from dxdesk.server import push_log
from dxdesk.server.audit import audit
from dxdesk.server.auth import Caller
from dxdesk.server.change_refused import ChangeRefused
from dxdesk.server.problems import ProblemError
from dxdesk.server.push_attachments import (
    ATTACHMENT,
    other_bytes,
    refuse_fixed_change,
    refuse_large_file,
    scope_of_parent,
)
from dxdesk.server.tables import Conflict, Record, SyncClock
from dxdesk.server.write_scope import Access, WriteScope, pushed_by_laptop, write_scope
from dxdesk.sql_common import utc_now
from dxdesk.wire.fields import SCORES_PREFIX, field_value, set_field_value
from dxdesk.wire.protocol import (
    Change,
    ChangeResult,
    FieldChange,
    FieldConflict,
    PushRequest,
    PushResponse,
)


def _closed(code: str) -> dict[str, Any]:
    # Nothing more of this municipality will be taken from this device: the app sets all its
    # changes there aside at once, rather than one refusal at a time.
    return {"closed_municipality": code}


def _not_found() -> ChangeRefused:
    # The same answer whether the record does not exist or belongs to someone else's
    # municipality: a forged id learns nothing.
    return ChangeRefused(404, "record-not-found", "記録が見つかりません")


@dataclass
class _PushContext:
    session: Session
    caller: Caller
    push_id: str
    scope: WriteScope
    next_rev: int
    records: dict[str, Record] = field(default_factory=dict)
    absent: set[str] = field(default_factory=set)  # looked up (or preloaded) and not there
    # One row per conflict of the answer, in the answer's order (see push_log.py).
    conflict_rows: list[Conflict] = field(default_factory=list)
    # Records this laptop made or moved where they are, as asked (write_scope.pushed_by_laptop).
    own: dict[str, bool] = field(default_factory=dict)
    max_file_bytes: int = MAX_FILE_BYTES  # the largest attachment taken (Settings)

    def take_rev(self) -> int:
        self.next_rev += 1
        return self.next_rev

    def access(self, record: Record) -> Access:
        return self.scope.access(
            record.scope_code, record.scope_rev, lambda: self.pushed_here(record.id)
        )

    def pushed_here(self, record_id: str) -> bool:
        if record_id not in self.own:
            self.own[record_id] = pushed_by_laptop(self.session, self.scope, record_id)
        return self.own[record_id]

    def record(self, record_id: str) -> Record | None:
        if record_id not in self.records and record_id not in self.absent:
            found = self.session.get(Record, record_id)
            if found is None:
                self.absent.add(record_id)
            else:
                self.records[record_id] = found
        return self.records.get(record_id)


def apply_push(
    session: Session,
    caller: Caller,
    request: PushRequest,
    *,
    max_file_bytes: int = MAX_FILE_BYTES,
) -> PushResponse:
    _refuse_unstorable_values(request)
    # Held until commit: revisions become visible in the order they were handed out.
    clock = session.scalars(select(SyncClock).where(SyncClock.id == 1).with_for_update()).one()
    replayed = push_log.replay(session, caller, request.push_id)
    if replayed is not None:
        return replayed
    context = _PushContext(
        session,
        caller,
        request.push_id,
        write_scope(session, caller),
        clock.value,
        max_file_bytes=max_file_bytes,
    )
    ids = [change.id for change in request.changes]
    for start in range(0, len(ids), 500):
        for record in session.scalars(
            select(Record).where(Record.id.in_(ids[start : start + 500]))
        ):
            context.records[record.id] = record
    context.absent = set(ids) - set(context.records)
    results: list[ChangeResult] = []
    for index, change in enumerate(request.changes):
        try:
            results.append(_apply_change(context, change))
        except (DomainError, ChangeRefused) as exc:
            status, code = (
                (exc.status, exc.code)
                if isinstance(exc, ChangeRefused)
                else (422, "invalid-change")
            )
            raise ProblemError(
                status,
                code,
                "Change refused",
                f"{index + 1} 件目の変更（{change.kind} {change.id}）: {exc}。何も保存していません",
                change_index=index,
                **(exc.extra if isinstance(exc, ChangeRefused) else {}),
            ) from None
    clock.value = context.next_rev
    response = PushResponse(push_id=request.push_id, replayed=False, results=results)
    push_log.record(session, caller, response, context.conflict_rows)
    return response


def _storable_text(text: str) -> bool:
    if "\x00" in text:  # PostgreSQL text and jsonb cannot hold it
        return False
    try:
        text.encode()  # a lone surrogate, which JSON's \u escapes can spell, is no UTF-8
    except UnicodeEncodeError:
        return False
    return True


def _storable(value: JsonValue) -> bool:
    if isinstance(value, str):
        return _storable_text(value)
    if isinstance(value, list):
        return all(_storable(item) for item in value)
    if isinstance(value, dict):
        return all(_storable_text(key) and _storable(item) for key, item in value.items())
    return True


def _refuse_unstorable_values(request: PushRequest) -> None:
    """Refuse values no database stores or no answer can carry, before any change is applied.

    The wire models take JSON values as they come. Stored, U+0000 fails on PostgreSQL, and a
    lone surrogate (on SQLite) makes every later answer that holds the record fail.
    """
    for index, change in enumerate(request.changes):
        for name, sent in change.fields.items():
            if not (_storable(sent.value) and _storable(sent.base)):
                raise ProblemError(
                    422,
                    "invalid-change",
                    "Change refused",
                    f"{index + 1} 件目の変更（{change.kind} {change.id}）: {name} に保存できない"
                    "文字（U+0000 か対になっていないサロゲート）があります。何も保存していません",
                    change_index=index,
                )


def _apply_change(context: _PushContext, change: Change) -> ChangeResult:
    spec = kind_spec(change.kind)
    record = context.record(change.id)
    access = Access.ASSIGNED if record is None else context.access(record)
    if record is not None and (record.kind != change.kind or access is Access.NONE):
        raise _not_found()
    if record is not None and access is Access.ENDED:
        raise _grace_over(context, record)
    result = _apply_one(context, spec, record, change)
    if record is not None and access is Access.GRACE:
        return _without_content(record, result)
    return result


def _grace_over(context: _PushContext, record: Record) -> ChangeRefused:
    code = record.scope_code
    hold = context.scope.held.get(code or "")
    until = f"（{hold.until:%Y-%m-%d %H:%M} UTC）" if hold and hold.until else ""
    return ChangeRefused(
        403,
        "not-assigned",
        f"市町村 {code} は担当から外れ、外れる前の変更を送れる期限{until}を過ぎました",
        **_closed(code or ""),
    )


def _without_content(record: Record, result: ChangeResult) -> ChangeResult:
    """The answer on a record of an unassigned municipality: what was done, nothing of the record.

    A conflict would show someone else's values, so the change is refused instead (nothing of
    the push is applied; the laptop keeps the change and shows it, refused).
    """
    code = record.scope_code  # a record under the grace is never moved (_refuse_move_in_grace)
    if result.status == "conflict":
        raise ChangeRefused(
            409,
            "unassigned-conflict",
            f"市町村 {code} は担当から外れています。この記録はその後ほかの人が変更したため、"
            "この変更は受け付けられません",
        )
    return result.model_copy(update={"fields": {}})


def _refuse_move_in_grace(context: _PushContext, record: Record) -> None:
    """A record under the grace stays where it is: moved into a municipality of the caller's,
    the answer and the next pull would carry it whole, others' edits since included, and the
    unassigned municipality's advisors would lose it."""
    if context.access(record) is Access.GRACE:
        raise ChangeRefused(
            403,
            "not-assigned",
            f"市町村 {record.scope_code} は担当から外れています。"
            "その記録をほかの市町村や相談記録へ移すことはできません",
        )


def _apply_one(
    context: _PushContext, spec: KindSpec, record: Record | None, change: Change
) -> ChangeResult:
    if spec.kind in COORDINATOR_KINDS and not context.caller.sees_everything:
        raise ChangeRefused(403, "coordinator-only", f"{spec.label}を変えられるのは事務局だけです")
    if change.op == "create":
        if record is not None and not record.deleted:
            raise ChangeRefused(409, "record-exists", "同じ id の記録がすでにあります")
        # Over a tombstone: someone chose to keep their edit of a record deleted meanwhile.
        return _create(context, spec, change, over=record)
    if record is None:
        raise _not_found()
    if change.op == "delete":
        return _delete(context, record, change)
    return _update(context, spec, record, change)


def _catalog_version(values: Mapping[str, Any]) -> str | None:
    version = values.get("catalog_version")
    return version if isinstance(version, str) and version else None


def _clean_scores(raw: Mapping[str, object], version: str | None) -> dict[str, int]:
    return load_catalog(version).validate_scores(raw)


def _create(
    context: _PushContext, spec: KindSpec, change: Change, *, over: Record | None = None
) -> ChangeResult:
    plain = {
        name: fc.value for name, fc in change.fields.items() if not name.startswith(SCORES_PREFIX)
    }
    items = {
        name.removeprefix(SCORES_PREFIX): fc.value
        for name, fc in change.fields.items()
        if name.startswith(SCORES_PREFIX)
    }
    if items:
        spec.field("scores")  # refuses "scores.X" on a kind without answers
        scores = plain.get("scores")
        plain["scores"] = {**(scores if isinstance(scores, dict) else {}), **items}
    cleaned = clean_fields(spec, plain, partial=False)
    values: dict[str, Any] = {name: to_json_value(value) for name, value in cleaned.items()}
    if "scores" in values:
        values["scores"] = _clean_scores(values["scores"], _catalog_version(values))
    refuse_large_file(spec.kind, values, context.max_file_bytes)
    scope_code = _scope_of(context, spec, values)
    _follow_engagement(spec, values, scope_code)
    now = utc_now()
    if over is not None:
        over.incomplete = over.incomplete or other_bytes(spec.kind, over.fields, values)
        if over.scope_code != scope_code:
            _refuse_move_in_grace(context, over)
            over.previous_scope_code = over.scope_code
            over.scope_code = scope_code
            over.scope_rev = context.next_rev + 1  # the revision it takes below
        over.fields = values
        over.deleted = False
        over.rev = context.take_rev()
        over.updated_at = now
        over.updated_by = context.caller.user
        over.updated_device = context.caller.device_id
        _audit(context, "restore", over, values)
        return ChangeResult(
            kind=spec.kind, id=change.id, status="applied", rev=over.rev, fields=_wire(values)
        )
    rev = context.take_rev()
    record = Record(
        id=change.id,
        kind=spec.kind,
        scope_code=scope_code,
        previous_scope_code=None,
        fields=values,
        rev=rev,
        scope_rev=rev,
        deleted=False,
        # Its bytes come after it (attachment_files.py): pulls leave it out until then.
        incomplete=spec.kind == ATTACHMENT,
        created_at=now,
        created_by=context.caller.user,
        updated_at=now,
        updated_by=context.caller.user,
        updated_device=context.caller.device_id,
    )
    context.session.add(record)
    context.records[record.id] = record
    _audit(context, "create", record, values)
    return ChangeResult(
        kind=spec.kind, id=change.id, status="applied", rev=record.rev, fields=_wire(values)
    )


def _scope_of(context: _PushContext, spec: KindSpec, values: Mapping[str, Any]) -> str | None:
    """The municipality a record belongs to, refused when the caller is not assigned it."""
    if spec.scope is Scope.PREFECTURE:
        return None
    code: str | None = None
    engagement_id = values.get("engagement")
    if spec.scope is Scope.PARENT:
        code = scope_of_parent(values, context.record, context.access)
        if code is None:
            return None
    elif isinstance(engagement_id, str):
        engagement = context.record(engagement_id)
        if (
            engagement is None
            or engagement.kind != "visit"
            or context.access(engagement) not in (Access.ASSIGNED, Access.GRACE)
        ):
            raise ChangeRefused(404, "reference-not-found", "参照先の相談記録が見つかりません")
        code = engagement.scope_code
    else:
        municipality = values.get("municipality")
        code = municipality if isinstance(municipality, str) else None
    if code is None:
        raise ChangeRefused(422, "municipality-required", "市町村か相談記録を指定してください")
    if code not in context.scope.assigned:
        # Not in the grace after an unassignment either: it lets held records change, no more.
        in_grace = context.scope.in_grace(code)
        after = "（担当から外れた市町村には新しい記録を作れません）" if in_grace else ""
        raise ChangeRefused(
            403,
            "not-assigned",
            f"市町村 {code} はあなたの担当ではありません{after}",
            **({} if in_grace else _closed(code)),
        )
    return code


def _follow_engagement(spec: KindSpec, values: dict[str, Any], scope_code: str | None) -> None:
    """A follow-up hung on a visit belongs to the visit's municipality, whatever it says; an
    attachment to its parent's."""
    if (
        values.get("engagement") or spec.scope is Scope.PARENT
    ) and "municipality" in spec.field_names:
        values["municipality"] = scope_code


def _field_spec(
    spec: KindSpec, name: str, fields: Mapping[str, Any]
) -> tuple[FieldSpec, str | None]:
    if name.startswith(SCORES_PREFIX):
        field_spec = spec.field("scores")
        # "scores.Ｄ１" is the item D1: compare and store under the catalog's spelling.
        item = load_catalog(_catalog_version(fields)).item(name.removeprefix(SCORES_PREFIX))
        return field_spec, item.code
    field_spec = spec.field(name)
    if field_spec.type is FieldType.SCORES:
        raise ChangeRefused(
            422, "invalid-change", "回答は項目ごとに scores.<項目コード> で送ってください"
        )
    return field_spec, None


@dataclass(frozen=True)
class _SentField:
    name: str  # "scores.<item>" under the catalog's spelling of the item
    spec: FieldSpec
    change: FieldChange
    mine: Any  # the value sent, cleaned as the field is stored


def _sent_fields(spec: KindSpec, change: Change, fields: Mapping[str, Any]) -> list[_SentField]:
    """Every field of an update, cleaned, before anything is stored: refused as a whole
    (``DomainError`` or ``ChangeRefused``) if one value or base is not one its field can hold,
    whether the record is live or a tombstone."""
    sent: list[_SentField] = []
    for raw_name, fc in change.fields.items():
        field_spec, item = _field_spec(spec, raw_name, fields)
        name = raw_name if item is None else SCORES_PREFIX + item
        _check_base(name, field_spec, item, fc.base, fields)
        sent.append(_SentField(name, field_spec, fc, _clean_one(field_spec, item, fc, fields)))
    return sent


def _check_base(
    name: str, field_spec: FieldSpec, item: str | None, base: JsonValue, fields: Mapping[str, Any]
) -> None:
    """A base is a value the field held on the server, or null: a conflict stores it, so one no
    field holds is refused. Its shape only is checked, as a stored record's is (a date saved
    before the years' bounds is still one), and it is compared as sent."""
    if base is None:
        return
    try:
        if item is not None:
            _clean_scores({item: base}, _catalog_version(fields))
        else:
            clean_value(field_spec, base, stored=True)
    except DomainError as error:
        raise InvalidField(f"{name} の base（サーバーから受け取った値）: {error}") from None


def _with_later_fields(spec: KindSpec, stored: Mapping[str, Any]) -> dict[str, Any]:
    """A record's fields, with those its kind gained after it was stored (protocol 2's status,
    times, place, …) at their empty value: what every laptop shows for them and sends as their
    base, so that a first edit of one merges instead of meeting a missing value as a conflict.
    Stored records need no migration this way; a written record keeps them."""
    fields = dict(stored)
    for spec_field in spec.fields:
        if spec_field.name not in fields and not spec_field.required:
            fields[spec_field.name] = to_json_value(clean_value(spec_field, None, stored=True))
    return fields


def _update(context: _PushContext, spec: KindSpec, record: Record, change: Change) -> ChangeResult:
    sent = _sent_fields(spec, change, record.fields)
    if record.deleted:
        conflict = FieldConflict(
            field="*",
            reason="deleted",
            mine={one.name: one.mine for one in sent},
            by=record.updated_by,
            at=record.updated_at,
        )
        _store_conflicts(context, record, [conflict])
        return ChangeResult(
            kind=spec.kind,
            id=record.id,
            status="conflict",
            rev=record.rev,
            deleted=True,
            conflicts=[conflict],
        )
    fields = _with_later_fields(spec, record.fields)
    fields["scores"] = dict(fields.get("scores") or {}) if "scores" in fields else None
    if fields["scores"] is None:
        del fields["scores"]
    touched: set[str] = set()
    merged = False
    conflicts: list[FieldConflict] = []
    for one in sent:
        name, fc, mine = one.name, one.change, one.mine
        theirs = field_value(fields, name)
        outcome = merge_field(one.spec.type, base=fc.base, theirs=theirs, mine=mine)
        if outcome.outcome is Outcome.CONFLICT:
            conflicts.append(
                FieldConflict(
                    field=name,
                    reason="changed",
                    base=fc.base,
                    theirs=theirs,
                    mine=mine,
                    by=record.updated_by,
                    at=record.updated_at,
                )
            )
        elif outcome.outcome in (Outcome.TAKE_MINE, Outcome.MERGED):
            merged = merged or outcome.outcome is Outcome.MERGED
            set_field_value(fields, name, outcome.value)
            touched.add(name)
    if touched:
        refuse_fixed_change(spec.kind, touched)
        if touched & {"municipality", "engagement"}:
            _refuse_move_in_grace(context, record)
            new_scope = _scope_of(context, spec, fields)
            _follow_engagement(spec, fields, new_scope)
            if new_scope != record.scope_code:
                record.previous_scope_code = record.scope_code
                record.scope_code = new_scope
                record.scope_rev = context.next_rev + 1  # the revision it takes below
        record.fields = fields
        record.rev = context.take_rev()
        record.updated_at = utc_now()
        record.updated_by = context.caller.user
        record.updated_device = context.caller.device_id
        _audit(context, "update", record, touched)
    # What the server now holds for each field named, after merges and derived municipality.
    after = {one.name: field_value(fields, one.name) for one in sent}
    _store_conflicts(context, record, conflicts)
    status: Literal["applied", "merged", "unchanged", "conflict"] = (
        "conflict" if conflicts else "merged" if merged else "applied" if touched else "unchanged"
    )
    return ChangeResult(
        kind=spec.kind,
        id=record.id,
        status=status,
        rev=record.rev,
        fields=after,
        conflicts=conflicts,
    )


def _clean_one(
    field_spec: FieldSpec, item: str | None, fc: FieldChange, fields: Mapping[str, Any]
) -> Any:
    if item is not None:
        clean = _clean_scores({item: fc.value}, _catalog_version(fields))
        # An item code given as "ｄ１" is stored under its catalog spelling.
        return next(iter(clean.values()), None)
    return to_json_value(clean_value(field_spec, fc.value))


def _delete(context: _PushContext, record: Record, change: Change) -> ChangeResult:
    if record.deleted:
        return ChangeResult(
            kind=record.kind, id=record.id, status="unchanged", rev=record.rev, deleted=True
        )
    if change.base_rev is None or record.rev > change.base_rev:
        # Someone changed it after this device last saw it: deleting now would lose that edit.
        conflict = FieldConflict(
            field="*",
            reason="changed",
            theirs=_wire(record.fields),
            by=record.updated_by,
            at=record.updated_at,
        )
        _store_conflicts(context, record, [conflict])
        return ChangeResult(
            kind=record.kind, id=record.id, status="conflict", rev=record.rev, conflicts=[conflict]
        )
    record.deleted = True
    record.rev = context.take_rev()
    record.updated_at = utc_now()
    record.updated_by = context.caller.user
    record.updated_device = context.caller.device_id
    _audit(context, "delete", record, ())
    return ChangeResult(
        kind=record.kind, id=record.id, status="applied", rev=record.rev, deleted=True
    )


def _store_conflicts(context: _PushContext, record: Record, conflicts: list[FieldConflict]) -> None:
    for conflict in conflicts:
        row = Conflict(
            push_id=context.push_id,
            record_id=record.id,
            kind=record.kind,
            field=conflict.field,
            reason=conflict.reason,
            base=conflict.base,
            theirs=conflict.theirs,
            mine=conflict.mine,
            account=context.caller.user,
            device_id=context.caller.device_id,
        )
        context.session.add(row)
        context.conflict_rows.append(row)


def _audit(context: _PushContext, action: str, record: Record, fields: object) -> None:
    audit(
        context.session,
        account=context.caller.user,
        device_id=context.caller.device_id,
        action=action,
        kind=record.kind,
        record_id=record.id,
        fields=fields,  # type: ignore[arg-type]
        detail=context.push_id,
    )


def _wire(values: Mapping[str, Any]) -> dict[str, JsonValue]:
    return dict(values)
