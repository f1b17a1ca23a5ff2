"""The record table model sorts and filters itself, so long lists stay quick."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from pytestqt.modeltest import ModelTester

from dxdesk.ui.table_model import ID_ROLE, Column, RecordTableModel, sorting_proxy

COLUMNS = (Column("due", "期限"), Column("description", "内容"))
RECORDS: list[dict[str, str | None]] = [
    {"id": "a", "due": "2026-05-01", "description": "RPA の資料"},
    {"id": "b", "due": None, "description": "研修の日程"},
    {"id": "c", "due": "2026-01-10", "description": "ＢＰＲ の相談"},
    {"id": "d", "due": "2026-09-30", "description": "rpa 研修"},
]


def _ids(model: QAbstractItemModel) -> list[str]:
    return [str(model.index(r, 0).data(ID_ROLE)) for r in range(model.rowCount())]


def test_sorting_keeps_blanks_last_both_ways_and_survives_new_records(
    qtmodeltester: ModelTester,
) -> None:
    model = RecordTableModel(COLUMNS)
    proxy = sorting_proxy(model)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    model.set_records(RECORDS)
    assert _ids(proxy) == ["c", "a", "d", "b"]
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert _ids(proxy) == ["d", "a", "c", "b"]
    model.set_records(list(reversed(RECORDS)))  # a reload keeps the chosen order
    assert _ids(proxy) == ["d", "a", "c", "b"]
    qtmodeltester.check(proxy)


def test_filter_matches_any_column_ignoring_case_and_width() -> None:
    model = RecordTableModel(COLUMNS)
    proxy = sorting_proxy(model)
    model.set_records(RECORDS)
    proxy.setFilterFixedString("RPA")
    assert sorted(_ids(proxy)) == ["a", "d"]
    proxy.setFilterFixedString("2026-09")
    assert _ids(proxy) == ["d"]
    proxy.setFilterFixedString("bpr")  # full-width ＢＰＲ too
    assert _ids(proxy) == ["c"]
    proxy.setFilterFixedString("rpa")
    model.set_records(RECORDS[:2])  # new records are filtered by their own texts
    assert _ids(proxy) == ["a"]
    proxy.setFilterFixedString("")
    assert _ids(proxy) == ["a", "b"]
