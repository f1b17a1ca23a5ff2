"""Which column holds what: survey items by code or by question text, the municipality, the
answer's time, and columns that are none of these.

Headers arrive in every form people and form tools make: "3-12", "３－１２", "Q3-12", "問 3-12",
"3-12 BPRを推進していますか？", the bare question with a trailing space or full-width "？", or
numbered "1. …". Both sides are normalised (NFKC, no spaces or punctuation, one kind of dash)
before comparing; a close but inexact question match is kept but marked doubtful so that a
person confirms it.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dxdesk.domain.catalog import Catalog

DOUBTFUL_RATIO = 0.72  # below this, a question-text guess is not offered at all
_DASHES = re.compile(r"[‐‑‒–—―－ー−﹣]")
_CODE = re.compile(
    r"^(?:q|問|設問|no\.?|項目)?\s*(d\s*\d{1,2}|\d{1,2}\s*-\s*\d{1,2})(?![\d])", re.I
)
_NUMBERING = re.compile(r"^(?:q?\d{1,3}[.．、)）:：]|\(\d{1,3}\)|（\d{1,3}）|【[^】]*】)\s*", re.I)
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


class Role(StrEnum):
    ITEM = "item"
    CODE = "code"  # the municipality's code
    NAME = "name"  # the municipality's name
    TIME = "time"  # when it was answered (Forms' 開始時刻/完了時刻, Google's タイムスタンプ)
    IGNORED = "ignored"


@dataclass(frozen=True)
class Column:
    index: int  # 0-based within the row
    header: str
    role: Role
    item: str | None = None
    doubtful: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "column": self.index + 1,
            "header": self.header,
            "role": str(self.role),
            "item": self.item,
            "doubtful": self.doubtful,
        }


_TIME_HEADERS = {"開始時刻", "完了時刻", "タイムスタンプ", "timestamp", "回答日時", "回答日"}
_CODE_HEADERS = {
    "市町村コード",
    "団体コード",
    "自治体コード",
    "コード",
    "code",
    "地方公共団体コード",
}
_NAME_HEADERS = {
    "市町村",
    "市町村名",
    "団体名",
    "自治体名",
    "市区町村",
    "市区町村名",
    "municipality",
}


@functools.lru_cache(maxsize=8192)  # the same labels and headers come back on every row
def squash(text: str) -> str:
    """What is left of a header or label to compare: NFKC, lower case, no spaces/punctuation."""
    folded = _DASHES.sub("-", unicodedata.normalize("NFKC", text)).lower()
    return _NOISE.sub("", folded)


def item_code_in(header: str, catalog: Catalog) -> str | None:
    """The item code a header starts with ("Ｄ１", "Q3-12 …", "問 0-1"), if it is one."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", header)).strip()
    match = _CODE.match(text)
    if not match:
        return None
    code = re.sub(r"\s+", "", match.group(1)).upper()
    return code if code in catalog.codes else None


def map_columns(headers: tuple[Any, ...], catalog: Catalog, *, guess: bool = True) -> list[Column]:
    """Map a header row; ``guess=False`` skips the slow close-match guesses (header search)."""
    questions = {squash(item.question): item.code for item in catalog.items}
    columns = []
    for index, raw in enumerate(headers):
        header = "" if raw is None else str(raw).strip()
        columns.append(_classify(index, header, catalog, questions, guess))
    return _no_item_twice(columns)


def _classify(
    index: int, header: str, catalog: Catalog, questions: dict[str, str], guess: bool
) -> Column:
    key = squash(header)
    if not key:
        return Column(index, header, Role.IGNORED)
    if key in {squash(h) for h in _TIME_HEADERS}:
        return Column(index, header, Role.TIME)
    if key in {squash(h) for h in _CODE_HEADERS}:
        return Column(index, header, Role.CODE)
    if key in {squash(h) for h in _NAME_HEADERS}:
        return Column(index, header, Role.NAME)
    code = item_code_in(header, catalog)
    bare = squash(_NUMBERING.sub("", unicodedata.normalize("NFKC", header)))
    if code is not None:
        # "3-12 BPR…": the text after the code, if any, must not name another item.
        rest = squash(_CODE.sub("", _DASHES.sub("-", unicodedata.normalize("NFKC", header))))
        other = questions.get(rest)
        return Column(index, header, Role.ITEM, code, doubtful=other not in (None, code))
    if bare in questions:
        return Column(index, header, Role.ITEM, questions[bare])
    contained = [c for q, c in questions.items() if q and (q in bare)]
    if len(contained) == 1:
        return Column(index, header, Role.ITEM, contained[0])
    if "コード" in key or "code" in key:
        return Column(index, header, Role.CODE)
    if any(word in key for word in ("市町村", "市区町村", "団体", "自治体")):
        return Column(index, header, Role.NAME)  # e.g. a form's question "市町村名を選択"
    if not guess:
        return Column(index, header, Role.IGNORED)
    best, ratio = _closest(bare, questions)
    if best is not None and ratio >= DOUBTFUL_RATIO:
        return Column(index, header, Role.ITEM, best, doubtful=True)
    return Column(index, header, Role.IGNORED)


def _closest(key: str, questions: dict[str, str]) -> tuple[str | None, float]:
    best: str | None = None
    best_ratio = 0.0
    for question, code in questions.items():
        ratio = difflib.SequenceMatcher(None, key, question, autojunk=False).ratio()
        if ratio > best_ratio:
            best, best_ratio = code, ratio
    return best, best_ratio


def _no_item_twice(columns: list[Column]) -> list[Column]:
    """Two columns for one item: the sure one keeps it; two equally sure are both doubtful."""
    by_item: dict[str, list[Column]] = {}
    for column in columns:
        if column.item is not None:
            by_item.setdefault(column.item, []).append(column)
    result = list(columns)
    for same in by_item.values():
        if len(same) < 2:
            continue
        sure = [c for c in same if not c.doubtful]
        for column in same:
            if len(sure) == 1 and column is not sure[0]:
                result[column.index] = Column(column.index, column.header, Role.IGNORED)
            elif len(sure) != 1:
                result[column.index] = Column(
                    column.index, column.header, Role.ITEM, column.item, doubtful=True
                )
    return result


def header_score(columns: list[Column]) -> tuple[int, bool]:
    """How much a row looks like the header row: items found surely, and a municipality column."""
    items = sum(1 for c in columns if c.role is Role.ITEM and not c.doubtful)
    return items, any(c.role in (Role.CODE, Role.NAME) for c in columns)
