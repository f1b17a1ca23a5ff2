"""The window's municipality list: its columns (次回予定 and 期限超過 among them), how a row is
found by the filter, and which changes make it read again."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QColor

from dxdesk.domain.changes import Changes, Source
from dxdesk.ui.format import QT_TRANSLATE_NOOP, level_text
from dxdesk.ui.record_status import LATE_COLOUR
from dxdesk.ui.table_model import Column, RecordTableModel

# What the municipality list shows of a visit and of an assessment (the last held visit's date,
# the next planned regular consultation and whether it is overdue; the confirmed level of the
# latest assessment by 実施日); any write to a follow-up moves the open counts, and a cadence
# whether the municipality is overdue.
LIST_VISIT_FIELDS = frozenset({"date", "municipality", "deleted", "status", "type"})
LIST_ASSESSMENT_FIELDS = frozenset(
    {"level", "fiscal_year", "assessed_on", "municipality", "deleted"}
)


def moves_list(changes: Changes) -> bool:
    """The municipality list should be read again."""
    if changes.source is not Source.EDIT:
        return True  # a sync, an undo, an import, a restore, a login: anything may differ
    return (
        changes.touches("followup", "cadence")
        or changes.wrote("visit", LIST_VISIT_FIELDS)
        or changes.wrote("assessment", LIST_ASSESSMENT_FIELDS)
    )


def next_planned_text(municipality: dict[str, Any]) -> str:
    """The next planned regular consultation's date; 期限超過 when nothing was held or planned
    within the municipality's cadence (or a planned one's date passed)."""
    if municipality.get("overdue"):  # the date is on 概要; the list keeps its width
        return QCoreApplication.translate("MainWindow", "期限超過")
    return str(municipality.get("next_planned") or "")


# The 振興局 is in the heading and on 概要: the list keeps its width for 次回予定.
MUNICIPALITY_COLUMNS = (
    Column("name", QT_TRANSLATE_NOOP("Column", "市町村"), sort_value=lambda r: r["kana"]),
    Column(
        "level",
        QT_TRANSLATE_NOOP("Column", "支援分類"),
        display=lambda r: level_text(r["level"]),
    ),
    Column("last_engagement", QT_TRANSLATE_NOOP("Column", "最終相談")),
    Column("next_planned", QT_TRANSLATE_NOOP("Column", "次回予定"), display=next_planned_text),
    Column("open_follow_ups", QT_TRANSLATE_NOOP("Column", "未完了"), align_right=True),
)


def overdue_colour(municipality: dict[str, Any]) -> QColor | None:
    return LATE_COLOUR if municipality.get("overdue") else None


def municipality_model(parent: QObject) -> RecordTableModel:
    """The list's model: overdue rows tinted, and found by 振興局 and よみ too."""
    return RecordTableModel(
        MUNICIPALITY_COLUMNS,
        id_key="code",
        highlight=overdue_colour,
        found_by=("region", "kana"),
        parent=parent,
    )
