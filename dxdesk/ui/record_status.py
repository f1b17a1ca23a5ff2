"""How a consultation's or an event's status reads in a list: 予定 / 中止 (held is the rule and
left blank), a planned one whose date has passed marked 期限超過, and planned and cancelled rows
tinted so they stand apart from what was held."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from dxdesk.ui.format import record_status_text

PLANNED_COLOUR = QColor("#e3eefc")  # light blue: ahead
LATE_COLOUR = QColor("#fbdcdc")  # light red: planned, and its date has passed
CANCELLED_COLOUR = QColor("#ececec")  # grey: called off


def is_late(record: dict[str, Any], today: date) -> bool:
    """Still planned on a date before today (shown as overdue, never refused)."""
    return (
        record.get("status") == "planned"
        and bool(record.get("date"))
        and (date.fromisoformat(record["date"]) < today)
    )


def status_cell(record: dict[str, Any], today: date) -> str:
    """予定, 中止, or 期限超過 for a planned one whose date passed; blank when held (most rows
    of a history: the list keeps its width for the titles)."""
    if is_late(record, today):
        return QCoreApplication.translate("RecordStatus", "期限超過")
    if (record.get("status") or "held") == "held":
        return ""
    return record_status_text(record)


def status_text(record: dict[str, Any], today: date) -> str:
    """The status in full where there is room for it (a record's own pane): 予定 / 実施 / 中止,
    and 予定（期限超過） for a planned one whose date has passed."""
    text = record_status_text(record)
    if is_late(record, today):
        late = QCoreApplication.translate("RecordStatus", "期限超過")
        return QCoreApplication.translate("RecordStatus", "{status}（{late}）").format(
            status=text, late=late
        )
    return text


def status_colour(record: dict[str, Any], today: date) -> QColor | None:
    if is_late(record, today):
        return LATE_COLOUR
    return {"planned": PLANNED_COLOUR, "cancelled": CANCELLED_COLOUR}.get(
        record.get("status") or "held"
    )
