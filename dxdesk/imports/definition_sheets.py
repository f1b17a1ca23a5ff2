"""The layout of the survey definition workbook, shared by its reader and its writer.

Three sheets, each found by its name (Japanese, or the English one XLSForm users know):
「設問」 (one question a row), 「選択肢」 (one choice a row, grouped by list name) and 「設定」
(key in column A, value in column B). Columns are found by their header in row 1, in any order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from dxdesk.imports.columns import fold

__all__ = ["fold"]  # the one normaliser of headers, keys and marks (imports/columns.py)

QUESTIONS_SHEET: Final = "設問"
CHOICES_SHEET: Final = "選択肢"
SETTINGS_SHEET: Final = "設定"

# Sheet -> the names it may go by.
SHEET_NAMES: Final[Mapping[str, tuple[str, ...]]] = {
    QUESTIONS_SHEET: ("questions", "survey"),
    CHOICES_SHEET: ("choices",),
    SETTINGS_SHEET: ("settings",),
}

# Field -> (its header as written, its other accepted names). Dict order is the written order.
QUESTION_COLUMNS: Final[Mapping[str, tuple[str, tuple[str, ...]]]] = {
    "code": ("設問番号", ("code", "name", "questioncode")),
    "page": ("ページ", ("page",)),
    "section": ("区分", ("section", "group")),
    "text": ("設問", ("question", "text", "label", "設問文")),
    "type": ("形式", ("type",)),
    "item": ("項目コード", ("item", "itemcode")),
    "choices": ("選択肢リスト", ("choices", "choicelist", "listname", "list")),
    "unit": ("単位", ("unit",)),
    "required": ("必須", ("required",)),
    "help": ("説明", ("help", "hint")),
    "to_confirm": ("要確認", ("toconfirm", "confirm")),
}
REQUIRED_QUESTION_COLUMNS: Final = ("code", "page", "text", "type")

CHOICE_COLUMNS: Final[Mapping[str, tuple[str, tuple[str, ...]]]] = {
    "list": ("リスト名", ("listname", "list")),
    "value": ("値", ("value", "name")),
    "label": ("表示", ("label",)),
}
REQUIRED_CHOICE_COLUMNS: Final = ("list", "value")

SETTINGS_KEYS: Final[Mapping[str, tuple[str, tuple[str, ...]]]] = {
    "fiscal_year": ("年度", ("fiscalyear", "year")),
    "prefecture": ("都道府県", ("prefecture",)),
    "title": ("調査名", ("title",)),
    "catalog_version": ("項目版", ("catalogversion", "catalog")),
}
NOTE_KEY: Final = "注記"  # any other key is a note to the reader, and left alone

TRUE_MARKS: Final = frozenset({"○", "〇", "◯", "はい", "true", "1", "yes", "y", "✓", "✔"})
FALSE_MARKS: Final = frozenset({"", "×", "いいえ", "false", "0", "no", "n", "-"})
MARK: Final = "○"  # what the writer puts in 必須 and 要確認


def lookup(names: Mapping[str, tuple[str, tuple[str, ...]]]) -> dict[str, str]:
    """Folded name -> field, for every accepted name of each field."""
    found: dict[str, str] = {}
    for key, (written, others) in names.items():
        for name in (written, key, *others):
            found[fold(name)] = key
    return found
