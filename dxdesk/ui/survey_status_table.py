"""The 調査 tab's table: each municipality of this laptop, answered (from which file, when) or not.

Rows are ``MunicipalityStatus.as_json()`` records (dxdesk/services/survey_status.py); the state
cell is coloured as the analysis tab colours met and unmet targets.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from dxdesk.ui.analysis_panel import MET, UNMET, CellStyle, StyledTableModel
from dxdesk.ui.format import QT_TRANSLATE_NOOP
from dxdesk.ui.table_model import Column


def state_text(record: dict[str, Any]) -> str:
    if record["answered"] and record.get("duplicates"):
        return QCoreApplication.translate("SurveyPanel", "回答済み（{count} 件）").format(
            count=len(record["duplicates"]) + 1
        )
    if record["answered"]:
        return QCoreApplication.translate("SurveyPanel", "回答済み")
    return QCoreApplication.translate("SurveyPanel", "未回答")


def answered_questions_text(record: dict[str, Any]) -> str:
    """ "60 / 66" (answers to questions of its definition / its questions), blank if none."""
    if not record["answered"]:
        return ""
    return f"{record['answered_questions']} / {record['questions']}"


STATUS_COLUMNS = (
    Column("name", QT_TRANSLATE_NOOP("Column", "市町村"), sort_value=lambda r: r["code"]),
    Column("region", QT_TRANSLATE_NOOP("Column", "振興局")),
    Column(
        "state",
        QT_TRANSLATE_NOOP("Column", "回答状況"),
        display=state_text,
        sort_value=lambda r: (not r["answered"], r["code"]),
    ),
    Column("answered_on", QT_TRANSLATE_NOOP("Column", "回答日")),
    Column("source_name", QT_TRANSLATE_NOOP("Column", "元のファイル")),
    Column("imported_on", QT_TRANSLATE_NOOP("Column", "取り込み日")),
    Column(
        "answered_questions",
        QT_TRANSLATE_NOOP("Column", "回答した設問"),
        display=answered_questions_text,
        align_right=True,
    ),
)


def _style(key: str, record: dict[str, Any]) -> CellStyle | None:
    if key != "state":
        return None
    background, foreground = MET if record["answered"] else UNMET
    return CellStyle(background, foreground, bold=not record["answered"])


def _tooltip(key: str, record: dict[str, Any]) -> str | None:
    if key == "name" and record["respondent"]:
        return QCoreApplication.translate("SurveyPanel", "{name}（回答者: {respondent}）").format(
            name=record["name"], respondent=record["respondent"]
        )
    if key == "state" and record.get("duplicates"):
        files = "、".join(d["source_name"] or "—" for d in record["duplicates"])
        return QCoreApplication.translate(
            "SurveyPanel",
            "この年度の回答がほかに {count} 件あります（{files}）。"
            "表示しているのは最後に取り込まれた回答です。残さない回答を削除してください",
        ).format(count=len(record["duplicates"]), files=files)
    if key == "answered_questions" and record["answered"]:
        return QCoreApplication.translate(
            "SurveyPanel", "定義の {questions} 問のうち {answered} 問に回答しています"
        ).format(questions=record["questions"], answered=record["answered_questions"])
    return None


class SurveyStatusModel(StyledTableModel):
    """One row per municipality, keyed by its code."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            STATUS_COLUMNS,
            style=_style,
            tooltip=_tooltip,
            centred=("state",),
            id_key="code",
            parent=parent,
        )
