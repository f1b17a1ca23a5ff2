"""Local rows to wire values and back, one record kind at a time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dxdesk.domain.records import FieldType, KindSpec, clean_fields, to_json_value

SCORES_PREFIX = "scores."


def row_values(spec: KindSpec, row: Any) -> dict[str, Any]:
    """Every field of a local row in its wire (JSON) form."""
    return {name: to_json_value(getattr(row, name)) for name in spec.field_names}


def field_value(values: Mapping[str, Any], name: str) -> Any:
    """One wire field, where "scores.<item>" is one answer of an assessment."""
    if name.startswith(SCORES_PREFIX):
        return (values.get("scores") or {}).get(name.removeprefix(SCORES_PREFIX))
    return values.get(name)


def set_field_value(values: dict[str, Any], name: str, value: Any) -> None:
    if name.startswith(SCORES_PREFIX):
        scores = dict(values.get("scores") or {})
        code = name.removeprefix(SCORES_PREFIX)
        if value is None:
            scores.pop(code, None)
        else:
            scores[code] = value
        values["scores"] = scores
    else:
        values[name] = value


def field_type(spec: KindSpec, name: str) -> FieldType:
    if name.startswith(SCORES_PREFIX):
        return FieldType.SCORES
    return spec.field(name).type


def columns_from_wire(spec: KindSpec, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A pulled record's fields as column values, checked like any input (DomainError if bad),
    except for the bounds put on new input: a record stored before them still comes down."""
    known = {name: value for name, value in fields.items() if name in spec.field_names}
    return clean_fields(spec, known, partial=False, stored=True)
