"""A record's field values: its local row, its wire (JSON) form, what changed between two."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dxdesk.domain.record_fields import clean_fields, clean_value, to_json_value
from dxdesk.domain.records import FieldType, KindSpec
from dxdesk.models.base import SyncedRecord
from dxdesk.models.kinds import KIND_TABLES
from dxdesk.wire.fields import set_field_value
from dxdesk.wire.protocol import PulledRecord

# Field types whose few distinct values repeat across a pull (a municipality code, a choice, a
# date): each distinct value is checked once (a code's check digit is not recomputed per
# record). Free text and lists are checked every time.
_REPEATING = frozenset(
    {FieldType.MUNICIPALITY, FieldType.CHOICE, FieldType.DATE, FieldType.FISCAL_YEAR}
)
# The field name of a pending change or conflict about the whole record (a create, a delete).
WHOLE_RECORD = "*"

_CLEAN_CACHE_LIMIT = 10_000
# Shared by the sync thread and the store's worker: each lookup reads the cache once (a clear()
# on the other thread between a membership test and a read would raise KeyError).
_clean_cache: dict[tuple[str, str, object], object] = {}
_MISSING = object()


def row_values(spec: KindSpec, row: Any) -> dict[str, Any]:
    """Every field of a local row in its wire (JSON) form."""
    return {name: to_json_value(getattr(row, name)) for name in spec.field_names}


def columns_from_wire(spec: KindSpec, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A pulled record's fields as column values, checked like any input (DomainError if bad),
    except for the bounds put on new input: a record stored before them still comes down."""
    known = {name: value for name, value in fields.items() if name in spec.field_names}
    if len(known) < len(spec.field_names):  # defaults to fill in, or a required field missing
        return clean_fields(spec, known, partial=False, stored=True)
    columns: dict[str, Any] = {}
    for field in spec.fields:
        raw = known.pop(field.name)
        if field.type in _REPEATING and isinstance(raw, str | int) and not isinstance(raw, bool):
            key = (spec.kind, field.name, raw)
            clean = _clean_cache.get(key, _MISSING)
            if clean is _MISSING:  # a refused value raises here, as clean_fields would
                clean = clean_value(field, raw, stored=True)
                if len(_clean_cache) >= _CLEAN_CACHE_LIMIT:
                    _clean_cache.clear()
                _clean_cache[key] = clean
            columns[field.name] = clean
        else:
            known[field.name] = raw
    columns.update(clean_fields(spec, known, partial=True, stored=True))
    return columns


def row_values_from_columns(spec: KindSpec, columns: Mapping[str, Any]) -> dict[str, Any]:
    """Column values (as columns_from_wire gives them) in their wire form."""
    return {name: to_json_value(columns[name]) for name in spec.field_names if name in columns}


def changed_fields(spec: KindSpec, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Names of the fields that differ; each assessment item counts as its own field."""
    changed: list[str] = []
    for field in spec.fields:
        before, after = old.get(field.name), new.get(field.name)
        if field.type is FieldType.SCORES:
            before, after = before or {}, after or {}
            changed += [
                f"{field.name}.{code}"
                for code in sorted(set(before) | set(after))
                if before.get(code) != after.get(code)
            ]
        elif before != after:
            changed.append(field.name)
    return changed


def pulled_columns(spec: KindSpec, record: PulledRecord) -> dict[str, Any]:
    """A pulled record's column values, its municipality included where the kind's table has
    one but its fields do not (an interview note's, from its engagement)."""
    columns = columns_from_wire(spec, record.fields)
    if "municipality" not in spec.field_names and hasattr(KIND_TABLES[record.kind], "municipality"):
        columns["municipality"] = record.municipality
    return columns


def set_columns(spec: KindSpec, row: SyncedRecord, wire: dict[str, Any]) -> None:
    """Set some fields of a row from their wire values, checked as a pulled record's are."""
    if not wire:
        return
    values = row_values(spec, row)
    for name, value in wire.items():
        set_field_value(values, name, value)
    for name, value in columns_from_wire(spec, values).items():
        setattr(row, name, value)
