"""One answer cell to a score: a scale's label ("推進している", "3 推進している"), a digit (also
full-width), and for the prefecture's D items a count or 有/無 (at least one is 3)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

from dxdesk.domain.catalog import Item, describe_values
from dxdesk.imports.columns import fold, squash

# The one list of yes/no words: the prefecture's D items and はい・いいえ questions read alike.
YES = {"有", "有り", "あり", "ある", "はい", "yes", "true", "○", "〇"}
NO = {"無", "無し", "なし", "ない", "いいえ", "no", "false", "×", "-"}
_COUNT = re.compile(r"^(\d{1,6})\s*(件|回|人|名|個|つ)?$")
_LEADING_VALUE = re.compile(r"^(\d{1,2})\s*[.:．：、)）]?\s*(.*)$")


YES_KEYS = frozenset(fold(w) for w in YES)  # fold keeps a word of symbols alone (○, ×)
NO_KEYS = frozenset(fold(w) for w in NO)


class AnswerError(ValueError):
    """A cell that is not an answer of its item's scale; the message is for the person."""


def is_count_item(item: Item) -> bool:
    """The prefecture's items are answered as 実績 (counts): their scale is {0, 3}."""
    return item.scale.values == frozenset({0, 3})


def parse_answer(item: Item, raw: object) -> int | None:
    """The score of one cell, None when it is blank; AnswerError when it is not an answer."""
    if raw is None:
        return None
    if isinstance(raw, bool | datetime | date | time):
        raise AnswerError(_unknown(item, raw))
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not raw.is_integer():
            raise AnswerError(_unknown(item, raw))
        return _from_number(item, int(raw))
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if not text:
        return None
    key = squash(text)
    for option in item.scale.options:
        if key == squash(option.label):
            return option.value
    if is_count_item(item):
        word = fold(text)
        if word in YES_KEYS:
            return 3
        if word in NO_KEYS:
            return 0
        count = _COUNT.match(text)
        if count:
            return _from_number(item, int(count.group(1)))
    leading = _LEADING_VALUE.match(text)
    if leading:
        value, label = int(leading.group(1)), leading.group(2)
        if label and squash(label) not in {squash(o.label) for o in item.scale.options}:
            raise AnswerError(_unknown(item, raw))
        if label:
            named = next(o.value for o in item.scale.options if squash(o.label) == squash(label))
            if named != value:
                raise AnswerError(
                    f"「{raw}」は番号 {value} と選択肢「{label}」（{named}）が食い違っています"
                )
        return _from_number(item, value)
    raise AnswerError(_unknown(item, raw))


def _from_number(item: Item, value: int) -> int:
    if is_count_item(item) and value >= 0:
        return 3 if value >= 1 else 0  # a count of 実績: at least one is 3
    if value in item.scale.values:
        return value
    raise AnswerError(
        f"{value} は項目 {item.code} の選択肢にありません（{describe_values(item.scale.values)}）"
    )


def _unknown(item: Item, raw: object) -> str:
    labels = "、".join(f"{o.value} {o.label}" for o in item.scale.options)
    return f"「{raw}」は項目 {item.code} の回答として読めません（選択肢: {labels}）"
