"""ファイル → バックアップから復元…: the backups listed, newest first, one chosen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from dxdesk.models.backups import Backup
from dxdesk.ui.backup_start import taken_of
from dxdesk.ui.format import QT_TRANSLATE_NOOP
from dxdesk.ui.message_label import message_label
from dxdesk.ui.overview_panel import make_table_view
from dxdesk.ui.table_model import ID_ROLE, Column, RecordTableModel

BACKUP_COLUMNS = (
    Column("taken", QT_TRANSLATE_NOOP("Column", "作成日時")),
    Column("size", QT_TRANSLATE_NOOP("Column", "大きさ"), align_right=True),
)


def _row(backup: Backup) -> dict[str, Any]:
    return {
        "id": str(backup.path),
        "taken": taken_of(backup.path),
        "size": f"{backup.size / 1_000_000:.1f} MB",
    }


class RestoreDialog(QDialog):
    """The backups, newest first and chosen; 復元 puts the chosen one in place."""

    def __init__(self, parent: QWidget, backups: list[Backup]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("バックアップから復元"))
        self.explanation = message_label(
            self.tr(
                "戻す時点を選んでください。今の記録は別の名前でデータフォルダに残します。\n"
                "復元のあと同期すると、サーバーにあるそれより新しい記録も戻ります。"
            )
        )
        self.model = RecordTableModel(BACKUP_COLUMNS, parent=self)
        self.model.set_records([_row(b) for b in backups])
        self.view = make_table_view(
            self.model, self.tr("バックアップの一覧"), sort_column=0, descending=True
        )
        self.view.setSelectionMode(self.view.SelectionMode.SingleSelection)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.restore_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText(self.tr("復元"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("キャンセル"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.view)
        layout.addWidget(self.buttons)
        self.resize(520, 320)
        self.view.selectRow(0)
        self.view.selectionModel().selectionChanged.connect(self._chosen_changed)
        self._chosen_changed()

    def _chosen_changed(self, *_args: object) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)

    def chosen(self) -> Path | None:
        rows = self.view.selectionModel().selectedRows()
        return Path(rows[0].data(ID_ROLE)) if rows else None
