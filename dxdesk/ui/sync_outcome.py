"""What a finished sync tells the person about municipalities that left this laptop (or stay
only for what still waits to go up), with their names (kept in SyncController's translation
context, where these messages were first written)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from dxdesk.sync.summary import SyncSummary


@dataclass(frozen=True)
class SyncOutcome:
    summary: SyncSummary
    names: dict[str, str]  # municipality code -> name, for those evicted or kept


def eviction_text(outcome: SyncOutcome) -> str:
    def names(codes: list[str]) -> str:
        return "、".join(outcome.names.get(code, code) for code in codes)

    parts = []
    if outcome.summary.evicted:
        parts.append(
            QCoreApplication.translate(
                "SyncController",
                "担当から外れたため、次の市町村を端末から削除しました: {names}\n"
                "この端末での変更は、削除の前にすべてサーバーへ送りました。",
            ).format(names=names(outcome.summary.evicted))
        )
    if outcome.summary.kept:
        parts.append(
            QCoreApplication.translate(
                "SyncController",
                "次の市町村も担当から外れましたが、まだ送れていない変更（またはサーバーが"
                "受け付けなかった変更）があるため端末に残しています: {names}\n"
                "変更を送るか競合の画面で扱いを決めると、次の同期で削除します。",
            ).format(names=names(outcome.summary.kept))
        )
    return "\n\n".join(parts)
