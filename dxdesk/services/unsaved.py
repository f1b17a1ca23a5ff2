"""Edits a form could not save yet, kept on this device until they can be.

A form sends what the person changed as one patch. The fields the rules accept are saved at
once; a refused one (a level without its reason, a title past its length) never takes them with
it. Its value is kept in ``store_meta`` (never synced, like article drafts), per record, with the
reason, so that the form shows it again when the record comes back, after a restart too, and the
window can name it before closing. It goes once a later patch saves the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, delete, literal, select
from sqlalchemy.orm import Session

from dxdesk.domain.errors import FieldRefusal
from dxdesk.domain.fiscal_year import format_fiscal_year
from dxdesk.domain.records import kind_spec
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.models.store import Store, StoreError
from dxdesk.models.tables import EngagementRow, MunicipalityRow, StoreMeta

if TYPE_CHECKING:
    from dxdesk.services.records import RecordFacade

Record = dict[str, Any]
UNSAVED_PREFIX = "unsaved:"
# What names a record for a person, in order of preference.
_NAMING_FIELDS = ("title", "interviewee", "description", "name", "date")


@dataclass(frozen=True)
class UnsavedField:
    value: Any
    reason: str  # why it was refused, in words that do not name the field


@dataclass(frozen=True)
class SaveOutcome:
    record_id: str
    record: Record | None  # as stored after the save; None when the record is gone
    unsaved: dict[str, UnsavedField]  # every field of it still waiting, this patch's and older
    gone: bool = False  # the record is no longer here (deleted, or out of the assignment)


@dataclass(frozen=True)
class UnsavedRecord:
    """A record with edits waiting, as the window names it before closing."""

    kind: str
    record_id: str
    what: str  # 「R7 (2025)」, a title, a name: empty when the record has none
    municipality: str  # its name, or empty
    fields: dict[str, UnsavedField]

    @property
    def labels(self) -> list[str]:
        spec = kind_spec(self.kind)
        return [spec.field(name).label for name in self.fields if name in spec.field_names]


def save_edits(facade: RecordFacade, record_id: str, patch: dict[str, Any]) -> SaveOutcome:
    """Save what is valid in ``patch`` and keep the rest, in one transaction."""
    from dxdesk.services.records import RecordNotFound

    key = UNSAVED_PREFIX + record_id
    with facade.store.transaction() as session:
        kept = _read(session.get(StoreMeta, key))
        remaining = dict(patch)
        refused: dict[str, str] = {}
        record: Record | None = None
        while True:
            try:
                record = facade.update_in(session, record_id, remaining)
                break
            except RecordNotFound:
                # Nothing can ever be saved in it: keeping the edits would name them at every
                # close as coming back, which they never would. The form says so instead.
                if kept.fields:
                    session.delete(session.get(StoreMeta, key))
                return SaveOutcome(record_id, None, {}, gone=True)
            except FieldRefusal as error:  # the domain's or the store's rules
                if not remaining:  # the record as stored fails a check: nothing more to try
                    break
                # Checks run before anything is written, so a refused attempt changed nothing.
                named = {f: why for f, why in error.refused.items() if f in remaining}
                refused |= named or dict.fromkeys(remaining, _refused_reasons(facade, error))
                remaining = {f: v for f, v in remaining.items() if f not in refused}
        unsaved = {f: u for f, u in kept.fields.items() if f not in patch}
        unsaved |= {f: UnsavedField(patch[f], why) for f, why in refused.items()}
        if not unsaved:
            if kept.fields:
                session.delete(session.get(StoreMeta, key))
            return SaveOutcome(record_id, record, {})
        what, municipality = (
            _naming(session, facade.kind, record)
            if record is not None
            else (kept.what, kept.municipality)
        )
        value = {
            "kind": facade.kind,
            "what": what,
            "municipality": municipality,
            "fields": {f: {"value": u.value, "reason": u.reason} for f, u in unsaved.items()},
        }
        session.merge(StoreMeta(key=key, value=json.dumps(value, ensure_ascii=False)))
        return SaveOutcome(record_id, record, unsaved)


def kept_edits(store: Store, kind: str | None = None) -> list[UnsavedRecord]:
    """Every live record (of ``kind``, or of any) with edits waiting on this device.

    Edits of a record that is gone (deleted here or by sync, or its municipality left the
    assignment) can never be saved, so they are never named: the delete and sync forget them,
    and any left by an older version are passed over here.
    """
    with store.session() as session:
        rows = session.scalars(select(StoreMeta).where(StoreMeta.key.startswith(UNSAVED_PREFIX)))
        found = [_read(row) for row in rows]
        return [
            r for r in found if r.fields and (kind is None or r.kind == kind) and _live(session, r)
        ]


def _live(session: Session, record: UnsavedRecord) -> bool:
    table = KIND_TABLES.get(record.kind)
    row = None if table is None else session.get(table, record.record_id)
    return row is not None and not row.deleted


def forget_kept_edits(session: Session, record_ids: Iterable[str] | Select[Any]) -> None:
    """These records went (deleted here or by sync, or evicted): what waited in them goes too.

    ``record_ids`` may be a query of ids (an evicted municipality's records): the store matches
    it itself, instead of reading every id into Python and sending them back as parameters."""
    if isinstance(record_ids, Select):
        ids = record_ids.subquery()
        keys: Select[Any] | list[str] = select(literal(UNSAVED_PREFIX) + next(iter(ids.c)))
    else:
        keys = [UNSAVED_PREFIX + record_id for record_id in record_ids]
        if not keys:
            return
    session.execute(delete(StoreMeta).where(StoreMeta.key.in_(keys)))


def _refused_reasons(facade: RecordFacade, error: FieldRefusal) -> str:
    """Why a patch was refused for fields it does not hold: the fields the rule names, by label.

    (Never the message itself: it is the CLI's, where people type the internal names.)
    """
    spec = facade.spec
    labels = {
        name: error.labels.get(name) or (spec.field(name).label if name in spec.field_names else "")
        for name in error.refused
    }
    reasons = [
        f"{labels[name]}: {why}" if labels[name] else why for name, why in error.refused.items()
    ]
    return "／".join(reasons) or "保存できません（記録の内容が規則に合いません）"


def _read(row: StoreMeta | None) -> UnsavedRecord:
    if row is None:
        return UnsavedRecord("", "", "", "", {})
    try:
        data = json.loads(row.value)
        fields = {
            name: UnsavedField(item["value"], str(item["reason"]))
            for name, item in data["fields"].items()
        }
        return UnsavedRecord(
            str(data["kind"]),
            row.key.removeprefix(UNSAVED_PREFIX),
            str(data.get("what", "")),
            str(data.get("municipality", "")),
            fields,
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise StoreError(f"未保存の編集（{row.key}）が読めません: {error}") from None


def _naming(session: Session, kind: str, record: Record) -> tuple[str, str]:
    if kind == "assessment":
        what = format_fiscal_year(record["fiscal_year"])
    else:
        what = next((str(record[f]) for f in _NAMING_FIELDS if record.get(f)), "")
    code = record.get("municipality")
    if code is None and record.get("engagement"):
        engagement = session.get(EngagementRow, record["engagement"])
        code = None if engagement is None else engagement.municipality
    municipality = session.get(MunicipalityRow, code) if code else None
    return what, "" if municipality is None else municipality.name
