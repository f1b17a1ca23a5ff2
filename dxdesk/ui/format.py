"""How values read on screen: fiscal years as "R7 (2025)", levels as "4 共創".

The programme's vocabularies (engagement types, modes, follow-up states, assessment methods,
support level names, record kinds) live in the domain, which knows no Qt; they are translated
here, when shown, in the "vocabulary" context. ``VOCABULARY`` lists every such label as a
literal so that lupdate puts it in the .ts file (a test keeps it in step with the domain).

The assessment catalog's wording (item texts, category names, scale labels) and the level
rule's reasons stay Japanese in every language: they are the programme's official text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from dxdesk.domain.fiscal_year import format_fiscal_year
from dxdesk.domain.support_levels import support_level
from dxdesk.domain.vocabulary import (
    ENGAGEMENT_TYPES,
    FOLLOW_UP_STATUSES,
    MODES,
    RECORD_STATUSES,
)

VOCABULARY_CONTEXT = "vocabulary"


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # the name lupdate looks for
    """Marks ``source`` for lupdate, in ``context``, and returns it as it is.

    PySide6's own QT_TRANSLATE_NOOP is typed as returning ``object``; this one keeps ``str``.
    """
    return source


VOCABULARY = (
    # engagement types
    QT_TRANSLATE_NOOP("vocabulary", "訪問"),
    QT_TRANSLATE_NOOP("vocabulary", "定例よろず相談"),
    QT_TRANSLATE_NOOP("vocabulary", "地域別よろず相談"),
    QT_TRANSLATE_NOOP("vocabulary", "テーマ別よろず相談"),
    QT_TRANSLATE_NOOP("vocabulary", "合同研修"),
    QT_TRANSLATE_NOOP("vocabulary", "トップセミナー"),
    QT_TRANSLATE_NOOP("vocabulary", "チャット相談"),
    QT_TRANSLATE_NOOP("vocabulary", "国のアドバイザー制度"),
    # group session types beyond the engagement types
    QT_TRANSLATE_NOOP("vocabulary", "成果報告会"),
    QT_TRANSLATE_NOOP("vocabulary", "市町村DX担当者会議"),
    QT_TRANSLATE_NOOP("vocabulary", "市町村DX推進部会"),
    QT_TRANSLATE_NOOP("vocabulary", "eラーニング"),
    QT_TRANSLATE_NOOP("vocabulary", "DX入門研修"),
    # where a consultation or an event stands
    QT_TRANSLATE_NOOP("vocabulary", "予定"),
    QT_TRANSLATE_NOOP("vocabulary", "実施"),
    QT_TRANSLATE_NOOP("vocabulary", "中止"),
    # modes and assessment methods
    QT_TRANSLATE_NOOP("vocabulary", "対面"),
    QT_TRANSLATE_NOOP("vocabulary", "オンライン"),
    QT_TRANSLATE_NOOP("vocabulary", "調査票"),
    # follow-up states
    QT_TRANSLATE_NOOP("vocabulary", "未着手"),
    QT_TRANSLATE_NOOP("vocabulary", "対応中"),
    QT_TRANSLATE_NOOP("vocabulary", "完了"),
    QT_TRANSLATE_NOOP("vocabulary", "取りやめ"),
    # support level names
    QT_TRANSLATE_NOOP("vocabulary", "共創"),
    QT_TRANSLATE_NOOP("vocabulary", "協働"),
    QT_TRANSLATE_NOOP("vocabulary", "支援"),
    QT_TRANSLATE_NOOP("vocabulary", "関与"),
    # knowledge article categories
    QT_TRANSLATE_NOOP("vocabulary", "ノウハウ"),
    QT_TRANSLATE_NOOP("vocabulary", "ノウフー"),
    # record kinds, as nouns inside sentences ("Add interview note")
    QT_TRANSLATE_NOOP("vocabulary", "相談記録"),
    QT_TRANSLATE_NOOP("vocabulary", "ヒアリング"),
    QT_TRANSLATE_NOOP("vocabulary", "フォローアップ"),
    QT_TRANSLATE_NOOP("vocabulary", "連絡先"),
    QT_TRANSLATE_NOOP("vocabulary", "アセスメント"),
    QT_TRANSLATE_NOOP("vocabulary", "ナレッジ"),
    QT_TRANSLATE_NOOP("vocabulary", "合同の場"),
    QT_TRANSLATE_NOOP("vocabulary", "添付ファイル"),
    QT_TRANSLATE_NOOP("vocabulary", "調査の定義"),
    QT_TRANSLATE_NOOP("vocabulary", "調査の回答"),
    QT_TRANSLATE_NOOP("vocabulary", "定例の間隔"),
    QT_TRANSLATE_NOOP("vocabulary", "年度計画"),
)


def vocabulary_text(label: str) -> str:
    """A domain label in the UI's language (the label itself when untranslated)."""
    return QCoreApplication.translate(VOCABULARY_CONTEXT, label)


def unwritten_text(value: object) -> str:
    """A field still being written reads 「（未入力）」 in a list: shown, never stored."""
    return str(value) if value else QCoreApplication.translate("Blank", "（未入力）")


def untitled_text(title: object) -> str:
    """A record still without its title reads 「（無題）」: shown, never stored."""
    return str(title) if title else QCoreApplication.translate("Blank", "（無題）")


def level_text(level: int | None) -> str:
    if level is None:
        return ""
    return f"{level} {vocabulary_text(support_level(level).name)}"


def fiscal_year_text(fiscal_year: int | None) -> str:
    return "" if fiscal_year is None else format_fiscal_year(fiscal_year)


def engagement_type_text(record: dict[str, Any]) -> str:
    return vocabulary_text(ENGAGEMENT_TYPES.get(record["type"], record["type"]))


def mode_text(record: dict[str, Any]) -> str:
    return vocabulary_text(MODES.get(record["mode"], record["mode"]))


def status_text(record: dict[str, Any]) -> str:
    return vocabulary_text(FOLLOW_UP_STATUSES.get(record["status"], record["status"]))


def record_status_text(record: dict[str, Any]) -> str:
    """予定 / 実施 / 中止 of a consultation or an event, in the UI's language."""
    status = record.get("status") or "held"
    return vocabulary_text(RECORD_STATUSES.get(status, status))


def cadence_text(months: int | None) -> str:
    """毎月 / 2か月ごと / 未設定: domain.cadence.cadence_label's words, in the UI's language."""
    if months is None:
        return QCoreApplication.translate("CadenceDialog", "未設定")
    if months == 1:
        return QCoreApplication.translate("CadenceDialog", "毎月")
    return QCoreApplication.translate("CadenceDialog", "{months}か月ごと").format(months=months)
