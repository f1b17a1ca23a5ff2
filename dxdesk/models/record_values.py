"""A record's field values three ways: its local row, its wire (JSON) form, and what changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dxdesk.domain.records import FieldType, KindSpec, clean_fields, to_json_value


def row_values(spec: KindSpec, row: Any) -> dict[str, Any]:
    """Every field of a local row in its wire (JSON) form."""
    return {name: to_json_value(getattr(row, name)) for name in spec.field_names}


def columns_from_wire(spec: KindSpec, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A pulled record's fields as column values, checked like any input (DomainError if bad),
    except for the bounds put on new input: a record stored before them still comes down."""
    known = {name: value for name, value in fields.items() if name in spec.field_names}
    return clean_fields(spec, known, partial=False, stored=True)


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
