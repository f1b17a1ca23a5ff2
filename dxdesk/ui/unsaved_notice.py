"""Before the window closes: name the edits that could not be saved yet, and let the person go
back to them or close anyway (they stay on this device and come back at the next start)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from dxdesk.domain.records import kind_spec
from dxdesk.models.store import Store
from dxdesk.services.unsaved import UnsavedRecord, kept_edits
from dxdesk.ui.autosave import AutosaveForm
from dxdesk.ui.format import vocabulary_text
from dxdesk.ui.runner import StoreRunner


def record_line(record: UnsavedRecord) -> str:
    """「・アセスメント R7 (2025)（田辺市）: 支援分類」"""
    name = vocabulary_text(kind_spec(record.kind).label)
    if record.what:
        name += f" {record.what}"
    if record.municipality:
        name += f"（{record.municipality}）"
    labels = "、".join(vocabulary_text(label) for label in record.labels)
    return QCoreApplication.translate("UnsavedNotice", "・{record}: {fields}").format(
        record=name, fields=labels
    )


def confirm_close(
    parent: QWidget, runner: StoreRunner, store: Store, forms: Iterable[AutosaveForm] = ()
) -> bool:
    """True to close. Call after the editors were flushed: waits for their saves first.

    Names what the store keeps for later (it comes back at the next start) and, from ``forms``,
    what only a form holds because its save failed (it is lost if the window closes).
    """
    runner.wait_idle()
    QCoreApplication.sendPostedEvents()  # the saves' answers reach their forms first
    waiting: list[UnsavedRecord] = runner.run(lambda: kept_edits(store)).result()
    lost = [entry for form in forms for entry in form.lost_on_close()]
    if not waiting and not lost:
        return True
    parts: list[str] = []
    if lost:
        lines = "\n".join(
            QCoreApplication.translate("UnsavedNotice", "・{fields}（{reason}）").format(
                fields="、".join(labels), reason=reason
            )
            for labels, reason in lost
        )
        parts.append(
            QCoreApplication.translate(
                "UnsavedNotice",
                "保存に失敗した入力があります。閉じるとこの入力は失われます:\n{fields}",
            ).format(fields=lines)
        )
    if waiting:
        parts.append(
            QCoreApplication.translate(
                "UnsavedNotice",
                "まだ保存できていない入力があります:\n{records}\n\n"
                "閉じても入力はこの端末に残り、次に開いたときに表示されます。",
            ).format(records="\n".join(record_line(record) for record in waiting))
        )
    parts.append(QCoreApplication.translate("UnsavedNotice", "閉じますか？"))
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("UnsavedNotice", "未保存の入力"),
        "\n\n".join(parts),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
