"""Local rows to wire values and back (kept in dxdesk.models.record_values, shared with the
outbox); re-exported here for the sync client's callers."""

from __future__ import annotations

from dxdesk.models.record_values import columns_from_wire, row_values, row_values_from_columns

__all__ = ["columns_from_wire", "row_values", "row_values_from_columns"]
