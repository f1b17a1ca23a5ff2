"""Pulled values are checked once per distinct repeating value, through a cache that the sync
thread and the store's worker share."""

from __future__ import annotations

from typing import Any

import pytest

from dxdesk.domain.records import kind_spec
from dxdesk.models import record_values


class _ClearedByTheOtherThread(dict[tuple[str, str, object], object]):
    """A cache another thread clears between any test of a key and the next read."""

    def __contains__(self, key: object) -> bool:
        self.clear()
        return True

    def get(self, key: Any, default: Any = None) -> Any:
        found = super().get(key, default)
        self.clear()
        return found


def test_a_cache_cleared_meanwhile_does_not_refuse_a_good_record(
    monkeypatch: pytest.MonkeyPatch, visit_payload: dict[str, Any]
) -> None:
    monkeypatch.setattr(record_values, "_clean_cache", _ClearedByTheOtherThread())
    fields = {**visit_payload, "mode": "in_person"}
    columns = record_values.columns_from_wire(kind_spec("visit"), fields)
    assert (columns["municipality"], columns["mode"]) == ("302015", "in_person")
