"""Local rows to wire values and back, one record kind at a time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dxdesk.domain.records import KindSpec, clean_fields, to_json_value


def row_values(spec: KindSpec, row: Any) -> dict[str, Any]:
    """Every field of a local row in its wire (JSON) form."""
    return {name: to_json_value(getattr(row, name)) for name in spec.field_names}


def columns_from_wire(spec: KindSpec, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A pulled record's fields as column values, checked like any input (DomainError if bad),
    except for the bounds put on new input: a record stored before them still comes down."""
    known = {name: value for name, value in fields.items() if name in spec.field_names}
    return clean_fields(spec, known, partial=False, stored=True)
