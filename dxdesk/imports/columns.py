"""Which column holds what: a question of the year's definition (by its code or its text), the
municipality, the respondent, the form's own metadata, and columns that are none of these.

Headers arrive in every form people and form tools make: "3-12", "３－１２", "Q3-12", "問 3-12",
"3-12 BPRを推進していますか？", the bare question with a trailing space or full-width "？", or
numbered "1. …". Both sides are normalised (NFKC, no spaces or punctuation, one kind of dash)
before comparing; a close but inexact question match is kept but marked doubtful so that a
person confirms it. A column that maps to nothing is "unmapped" until the person maps it or
leaves it out knowingly ("ignored"): nothing is dropped without a word.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dxdesk.domain.survey_definition import SurveyDefinition
from dxdesk.imports.workbook import column_letter

DOUBTFUL_RATIO = 0.72  # below this, a question-text guess is not offered at all
_DASHES = re.compile(r"[‐‑‒–—―－ー−﹣]")
_CODE_PREFIXES = ("設問", "問", "項目", "NO.", "NO", "Q")
_NUMBERING = re.compile(r"^(?:q?\d{1,3}[.．、)）:：]|\(\d{1,3}\)|（\d{1,3}）|【[^】]*】)\s*", re.I)
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_CODE_GOES_ON = re.compile(r"^(?:\d|[-_.]\d)")  # "D1" is not the start of "D10" or "D1-2"


class Role(StrEnum):
    QUESTION = "question"  # a question of the definition (scored ones also carry their item)
    CODE = "code"  # the municipality's code
    NAME = "name"  # the municipality's name
    RESPONDENT = "respondent"  # who answered (回答者, 担当者, Forms' 名前)
    TIME = "time"  # when it was answered (Forms' 開始時刻/完了時刻, Google's タイムスタンプ)
    META = "meta"  # the form's own bookkeeping (ID, メール, 最終変更時刻…): not an answer
    UNMAPPED = "unmapped"  # maps to nothing: a problem until the person decides
    IGNORED = "ignored"  # left out knowingly (or a column with neither header nor values)


@dataclass(frozen=True)
class Column:
    index: int  # 0-based within the row
    header: str
    role: Role
    item: str | None = None  # the catalog item of a scored question
    doubtful: bool = False
    question: str | None = None  # the definition's question code

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    def as_json(self) -> dict[str, Any]:
        return {
            "column": self.index + 1,
            "letter": self.letter,
            "header": self.header,
            "role": str(self.role),
            "question": self.question,
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
_RESPONDENT_HEADERS = {
    "回答者",
    "回答者名",
    "回答者氏名",
    "担当者",
    "担当者名",
    "ご担当者名",
    "記入者",
    "記入者名",
    "氏名",
    "respondent",
}
FORMS_NAME = "名前"  # Microsoft Forms' 名前: the respondent, unless another column says who
_META_HEADERS = {
    "id",
    "メール",
    "メールアドレス",
    "電子メール",
    "email",
    "emailaddress",
    "最終変更時刻",
    FORMS_NAME,
}


@functools.lru_cache(maxsize=8192)  # the same labels and headers come back on every row
def squash(text: str) -> str:
    """What is left of a header or label to compare: NFKC, lower case, no spaces/punctuation."""
    folded = _DASHES.sub("-", unicodedata.normalize("NFKC", text)).lower()
    return _NOISE.sub("", folded)


def fold(text: str) -> str:
    """``squash``, except that a word of symbols alone ("○", "×", "-", "✓") is kept: squashed,
    each would be empty, and "×" would read as "○". Headers, sheet names, marks and yes/no
    words of every file are compared by this one rule."""
    return squash(text) or unicodedata.normalize("NFKC", text).strip().lower()


def _code_key(text: str) -> str:
    """A code as compared: NFKC, one dash, upper case, no spaces ("ｑ５－２" -> "Q5-2")."""
    return re.sub(r"\s+", "", _DASHES.sub("-", unicodedata.normalize("NFKC", text))).upper()


_SQUASHED = {
    role: frozenset(squash(h) for h in headers)
    for role, headers in (
        (Role.TIME, _TIME_HEADERS),
        (Role.CODE, _CODE_HEADERS),
        (Role.NAME, _NAME_HEADERS),
        (Role.RESPONDENT, _RESPONDENT_HEADERS),
        (Role.META, _META_HEADERS),
    )
}


@dataclass(frozen=True)
class QuestionIndex:
    """A definition's questions as headers name them: by code (the question's, or a scored
    question's item) and by text."""

    items: dict[str, str | None]  # question code -> its catalog item (scored) or None
    codes: dict[str, str]  # code key -> question code
    texts: dict[str, list[str]] = field(default_factory=dict)  # squashed text -> question codes

    @classmethod
    def of(cls, definition: SurveyDefinition) -> QuestionIndex:
        items: dict[str, str | None] = {}
        codes: dict[str, str] = {}
        texts: dict[str, list[str]] = {}
        for question in definition.questions:
            items[question.code] = question.item if question.type == "scored" else None
            codes.setdefault(_code_key(question.code), question.code)
            key = squash(question.text)
            if key:
                texts.setdefault(key, []).append(question.code)
        for question in definition.questions:  # an item's code, or a code without its "Q"
            if question.type == "scored" and question.item:
                codes.setdefault(_code_key(question.item), question.code)
            if question.code.upper().startswith("Q"):
                codes.setdefault(_code_key(question.code[1:]), question.code)
        return cls(items, codes, texts)

    def code(self, text: str) -> str | None:
        """The question a code names ("Q5-2", "3-12", "d1"), None when it names none."""
        return self.codes.get(_code_key(text))

    def code_at_start(self, header: str) -> tuple[str, str] | None:
        """(question code, the header's rest) when the header starts with a question's code."""
        key = _DASHES.sub("-", unicodedata.normalize("NFKC", header)).strip()
        heads = [key] + [
            key[len(p) :].lstrip() for p in _CODE_PREFIXES if key.upper().startswith(p)
        ]
        for head in (re.sub(r"\s*-\s*", "-", h) for h in heads):
            compact = head.upper()
            for code_key in sorted(self.codes, key=len, reverse=True):
                if not compact.startswith(code_key):
                    continue
                rest = head[len(code_key) :]
                if not _CODE_GOES_ON.match(rest):
                    return self.codes[code_key], rest
        return None


def map_columns(
    headers: tuple[Any, ...], definition: SurveyDefinition, *, guess: bool = True
) -> list[Column]:
    """Map a header row; ``guess=False`` skips the slow close-match guesses (header search)."""
    index = QuestionIndex.of(definition)
    used: set[str] = set()
    columns = []
    for position, raw in enumerate(headers):
        header = "" if raw is None else str(raw).strip()
        column = _classify(position, header, index, used, guess)
        if column.question is not None and not column.doubtful:
            used.add(column.question)
        columns.append(column)
    return _respondent_named(_one_identity_each(_no_question_twice(columns)))


def question_column(
    column: Column, question: str, index: QuestionIndex, *, doubtful: bool = False
) -> Column:
    return Column(
        column.index, column.header, Role.QUESTION, index.items[question], doubtful, question
    )


def _classify(
    position: int, header: str, index: QuestionIndex, used: set[str], guess: bool
) -> Column:
    key = squash(header)
    blank = Column(position, header, Role.IGNORED if not key else Role.UNMAPPED)
    if not key:
        return blank
    for role, headers in _SQUASHED.items():
        if key in headers:
            return Column(position, header, role)
    start = index.code_at_start(header)
    if start is not None:
        # "3-12 BPR…": the text after the code, if any, must not name another question.
        code, rest = start
        others = index.texts.get(squash(rest), [code])
        return question_column(blank, code, index, doubtful=code not in others)
    bare = squash(_NUMBERING.sub("", unicodedata.normalize("NFKC", header)))
    same = index.texts.get(bare)
    if same:
        # Two questions of one text ("その他"): the form exports them in the survey's order.
        free = [code for code in same if code not in used]
        return question_column(blank, (free or same)[0], index, doubtful=not free)
    contained = sorted((q for q in index.texts if q and q in bare), key=len, reverse=True)
    if contained:
        longest = [q for q in contained if len(q) == len(contained[0])]
        codes = [c for q in longest for c in index.texts[q] if c not in used]
        if len(codes) == 1:
            return question_column(blank, codes[0], index)
    if guess:  # a question close to the header's text, before any word in it says more
        best, ratio = _closest(bare, index.texts)
        if best is not None and ratio >= DOUBTFUL_RATIO:
            return question_column(blank, best, index, doubtful=True)
    if not _identity_like(key):
        return blank
    if "コード" in key or "code" in key:
        return Column(position, header, Role.CODE)
    if any(word in key for word in _MUNICIPALITY_WORDS):
        return Column(position, header, Role.NAME)  # e.g. a form's question "市町村名を選択"
    return blank


_MUNICIPALITY_WORDS = ("市町村", "市区町村", "団体", "自治体")
_IDENTITY_LENGTH = 12  # "市町村名を選択してください" is; "他団体と連携している取組…" is not


def _identity_like(key: str) -> bool:
    """A header that may name the municipality by a word in it: short, or ending as a name or
    code does. A question about 団体 or コード is no municipality column."""
    return len(key) <= _IDENTITY_LENGTH or key.endswith(("名", "コード", "code"))


def _one_identity_each(columns: list[Column]) -> list[Column]:
    """A second column of the municipality's code (or name) found only by a word in its header
    waits for a person (unmapped): its answers are never dropped without a word. Columns named
    exactly (市町村名 beside 市町村) are all read, and must agree row by row."""
    result = list(columns)
    for role in (Role.CODE, Role.NAME):
        same = [c for c in columns if c.role is role]
        exact = [c for c in same if squash(c.header) in _SQUASHED[role]]
        for column in same:
            if column not in exact and len(same) > 1:
                result[column.index] = Column(column.index, column.header, Role.UNMAPPED)
    return result


def _closest(key: str, texts: dict[str, list[str]]) -> tuple[str | None, float]:
    best: str | None = None
    best_ratio = 0.0
    for question, codes in texts.items():
        ratio = difflib.SequenceMatcher(None, key, question, autojunk=False).ratio()
        if ratio > best_ratio:
            best, best_ratio = codes[0], ratio
    return best, best_ratio


def _no_question_twice(columns: list[Column]) -> list[Column]:
    """Two columns for one question: the sure one keeps it and the other waits for a person;
    two equally sure are both doubtful."""
    by_question: dict[str, list[Column]] = {}
    for column in columns:
        if column.question is not None:
            by_question.setdefault(column.question, []).append(column)
    result = list(columns)
    for same in by_question.values():
        if len(same) < 2:
            continue
        sure = [c for c in same if not c.doubtful]
        for column in same:
            if len(sure) == 1 and column is not sure[0]:
                result[column.index] = Column(column.index, column.header, Role.UNMAPPED)
            elif len(sure) != 1:
                result[column.index] = Column(
                    column.index, column.header, Role.QUESTION, column.item, True, column.question
                )
    return result


def _respondent_named(columns: list[Column]) -> list[Column]:
    """Microsoft Forms' 名前 says who answered, unless another column already does."""
    if any(c.role is Role.RESPONDENT for c in columns):
        return columns
    return [
        Column(c.index, c.header, Role.RESPONDENT)
        if c.role is Role.META and squash(c.header) == squash(FORMS_NAME)
        else c
        for c in columns
    ]


def header_score(columns: list[Column]) -> tuple[int, bool]:
    """How much a row looks like the header row: questions found surely, and a municipality
    column."""
    questions = sum(1 for c in columns if c.role is Role.QUESTION and not c.doubtful)
    return questions, any(c.role in (Role.CODE, Role.NAME) for c in columns)
