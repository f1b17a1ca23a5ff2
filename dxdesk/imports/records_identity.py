"""Which record a row of a past-records sheet is.

- An ID cell holding a record id (a workbook this app exported) is that record.
- Another ID cell (a column the person named as the ID, or headed ID, 管理番号 …) is uuid5 of it.
- Otherwise the row is known by its key fields (records_kinds: a visit's municipality, date and
  件名), compared without spaces and width differences, and by its place among rows with the
  same key: uuid5 of both, so two laptops importing one file make the same records.
- A key row whose record is not found is matched to a record an earlier import wrote here
  (services/import_marks) whose row had the same key, or, when exactly one such record differs
  in one key field alone, to that one: a corrected 件名 or date is an update, not a duplicate.
"""

from __future__ import annotations

import json
import unicodedata
import uuid
from collections.abc import Mapping
from typing import Any

from dxdesk.domain.record_fields import to_json_value
from dxdesk.imports.records_kinds import import_kind

_NAMESPACE = uuid.UUID("6f1c3f7e-2b52-5d8e-9a41-0d5e3c2a7b10")  # fixed: ids must not move


def key_of(kind: str, values: Mapping[str, Any]) -> tuple[str, ...]:
    """The row's key fields as compared: JSON text, NFKC, without whitespace."""
    return tuple(_folded(values.get(name)) for name in import_kind(kind).key)


def _folded(value: Any) -> str:
    text = json.dumps(to_json_value(value), ensure_ascii=False, sort_keys=True)
    return "".join(unicodedata.normalize("NFKC", text).split())


def exported_id(own_id: str) -> str | None:
    """The record's own id when the ID cell holds one (a sheet this app exported): a round trip
    through Excel comes back onto the records it came from rather than adding copies."""
    try:
        parsed = uuid.UUID(own_id)
    except ValueError:
        return None
    return str(parsed) if str(parsed) == own_id.lower() else None


def derived_id(kind: str, own_id: str, key: tuple[str, ...], occurrence: int) -> str:
    if own_id:
        return exported_id(own_id) or str(uuid.uuid5(_NAMESPACE, f"{kind}\nid\n{own_id}"))
    return str(uuid.uuid5(_NAMESPACE, f"{kind}\nkey\n{json.dumps(key)}\n{occurrence}"))


def child_id(child: str, parent_id: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{child}\n{parent_id}"))


def matched_by_mark(
    kind: str,
    key: tuple[str, ...],
    marks: Mapping[str, Mapping[str, Any]],
    claimed: set[str],
) -> str | None:
    """The record an earlier import here wrote from a row with this key, or the one such record
    whose key differs in a single field; None when there is none, or more than one."""
    same, near = [], []
    for record_id, values in marks.items():
        if record_id in claimed:
            continue
        differ = sum(a != b for a, b in zip(key_of(kind, values), key, strict=True))
        if differ == 0:
            same.append(record_id)
        elif differ == 1:
            near.append(record_id)
    if same:
        return same[0]
    # A key of one field (an article's 題名) differs in that field from every other record.
    return near[0] if len(near) == 1 and len(key) > 1 else None
