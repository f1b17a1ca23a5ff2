"""Record fields by their name on the wire, where "scores.<item>" is one answer of an assessment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from dxdesk.domain.records import FieldType, KindSpec

# "scores.<item>", one answer of an assessment, the item as its catalog or typed input spells it
# ("scores.D1", "scores.Ｄ１").
SCORES_PREFIX: Final = "scores."


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
