"""Where a sheet of past records has its header, and which field each column holds.

The header is found as the survey's is (imports/survey.py): the row near the top that names the
most fields, since secretariats put a title and notes above it. Headers are compared folded
(imports/columns.fold), so "日 付", "日付" and "ﾀｲﾄﾙ" match the words they mean. A header that
only resembles a field's words ("相談日（実施日）", "備考欄") is a close guess: it is mapped,
and marked so that a person checks it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dxdesk.domain.records import kind_spec
from dxdesk.imports.columns import fold
from dxdesk.imports.records_kinds import ID_FIELD as ID_FIELD  # re-exported: a sheet's terms
from dxdesk.imports.records_kinds import SUPPORTED_KINDS as SUPPORTED_KINDS
from dxdesk.imports.records_kinds import field_choices as field_choices
from dxdesk.imports.records_kinds import (
    import_kind,
    own_words,
    synonyms,
)
from dxdesk.imports.survey import HEADER_SEARCH_ROWS
from dxdesk.imports.workbook import Sheet, SurveyFileError, column_letter

MIN_FIELDS = 2  # a title row names one thing at most
GUESS_RATIO = 0.75  # below this, a header that resembles a field's word is not guessed
_MIN_CONTAINED = 2  # a word shorter than this ("課") is not looked for inside a header

Overrides = Mapping[str | int, str | None]  # header text (CLI) or 0-based column -> field key


@dataclass(frozen=True)
class ColumnChoice:
    index: int  # 0-based
    header: str
    field: str | None  # a field key ("title", "id", "interview.notes") or None: not used
    guessed: bool  # the header only resembles the field's words: a person should check

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(frozen=True)
class SheetLayout:
    sheet: Sheet
    header_row: int  # 1-based
    columns: tuple[ColumnChoice, ...]  # every column of the header row that has text

    @property
    def fields(self) -> dict[int, str]:
        return {c.index: c.field for c in self.columns if c.field is not None}

    def letter(self, field: str) -> str:
        return next((c.letter for c in self.columns if c.field == field), "")


def refuse_kind(kind: str) -> None:
    if kind not in SUPPORTED_KINDS:
        names = "、".join(f"{k} {kind_spec(k).label}" for k in SUPPORTED_KINDS)
        raise SurveyFileError(
            f"「{kind}」の取り込みには対応していません（取り込める種類: {names}）"
        )


def _exact_texts(kind: str) -> dict[str, str]:
    """Folded header text -> field key: synonyms first, then each field's own label and name."""
    texts: dict[str, str] = {}
    for key, words in synonyms(kind).items():
        for text in words:
            texts.setdefault(fold(text), key)
    for key, words in own_words(kind).items():  # a label wins over another field's synonym
        for text in words:
            texts[fold(text)] = key
    return texts


def field_of(kind: str, text: str) -> str:
    """The field a --column override names (by key, label or synonym), or raises."""
    if text in dict(field_choices(kind)):
        return text
    found = _exact_texts(kind).get(fold(text))
    if found is None:
        names = "、".join(key for key, _label in field_choices(kind))
        raise SurveyFileError(f"項目「{text}」は{kind_spec(kind).label}にありません（{names}）")
    return found


def _guess(texts: Mapping[str, str], header: str) -> str | None:
    """The field whose word the header holds (the longest such word), or closely resembles."""
    texts = {t: k for t, k in texts.items() if k != ID_FIELD}  # an ID is named, never guessed
    inside = [t for t in texts if len(t) >= _MIN_CONTAINED and t in header]
    if inside:
        return texts[max(inside, key=len)]
    best, ratio = None, 0.0
    for text, key in texts.items():
        score = difflib.SequenceMatcher(None, header, text, autojunk=False).ratio()
        if score > ratio:
            best, ratio = key, score
    return best if ratio >= GUESS_RATIO else None


def map_header(kind: str, row: tuple[Any, ...], overrides: Overrides) -> tuple[ColumnChoice, ...]:
    """Each header cell's field: the person's choice, else an exact word, else a close guess.
    A field goes to one column only: exact words before guesses, then the leftmost."""
    texts = _exact_texts(kind)
    by_header = {fold(k): v for k, v in overrides.items() if isinstance(k, str)}
    cells = [(i, str(c).strip()) for i, c in enumerate(row) if c is not None and str(c).strip()]
    chosen: dict[int, tuple[str | None, bool]] = {}
    for index, header in cells:  # the person's choices first: they take a field from the file's
        if index in overrides:
            chosen[index] = (overrides[index], False)
        elif fold(header) in by_header:
            chosen[index] = (by_header[fold(header)], False)
    taken = {field for field, _ in chosen.values() if field is not None}
    for index, header in cells:
        field = texts.get(fold(header))
        if index not in chosen and field is not None and field not in taken:
            chosen[index] = (field, False)
            taken.add(field)
    for index, header in cells:
        if index not in chosen:
            field = _guess(texts, fold(header))
            chosen[index] = (field, True) if field and field not in taken else (None, False)
            taken.add(field or "")
    columns: list[ColumnChoice] = []
    used: set[str] = set()
    for index, header in cells:
        field, guessed = chosen[index]
        if field is not None and field in used:  # the same field twice: the first column wins
            field, guessed = None, False
        used.add(field or "")
        columns.append(ColumnChoice(index, header, field, guessed and field is not None))
    return tuple(columns)


def find_layouts(sheets: list[Sheet], kind: str, overrides: Overrides) -> list[SheetLayout]:
    """Each sheet's header row of ``kind`` (the row near its top that names the most fields),
    the best first."""
    found: list[tuple[tuple[int, int, int], SheetLayout]] = []
    for sheet in sheets:
        best: tuple[tuple[int, int, int], SheetLayout] | None = None
        for number, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
            columns = map_header(kind, row, overrides)
            sure = sum(c.field is not None and not c.guessed for c in columns)
            guessed = sum(c.guessed for c in columns)
            rank = (sure, guessed, -number)
            if sure + guessed >= MIN_FIELDS and (best is None or rank > best[0]):
                best = (rank, SheetLayout(sheet, number, columns))
        if best is not None:
            found.append(best)
    found.sort(key=lambda pair: pair[0], reverse=True)  # stable: the first sheet wins a tie
    return [layout for _rank, layout in found]


def find_layout(
    sheets: list[Sheet], kind: str, overrides: Overrides, sheet_name: str | None = None
) -> SheetLayout:
    """The best header row of ``kind`` in the workbook (or in the sheet named)."""
    return pick_layout(sheets, find_layouts(sheets, kind, overrides), kind, sheet_name)


def pick_layout(
    sheets: list[Sheet], layouts: list[SheetLayout], kind: str, sheet_name: str | None = None
) -> SheetLayout:
    """The best of ``find_layouts``' answer, or the named sheet's; raises when there is none."""
    if sheet_name is not None and sheet_name not in {s.name for s in sheets}:
        names = "、".join(f"「{s.name}」" for s in sheets)
        raise SurveyFileError(f"シート「{sheet_name}」がありません（あるのは {names}）")
    chosen = [x for x in layouts if sheet_name is None or x.sheet.name == sheet_name]
    if not chosen:
        raise SurveyFileError(
            f"{kind_spec(kind).label}の見出しの行が見つかりません。上から {HEADER_SEARCH_ROWS}"
            f" 行のうちに「{'」「'.join(_example_headers(kind))}」など項目の名前を書いた行を"
            "置いてください（種類が違うときは選び直してください）"
        )
    return chosen[0]


def refuse_unknown_headers(layout: SheetLayout, overrides: Overrides) -> None:
    """A --column header the chosen header row does not have is a mistake to say, not skip."""
    headers = {fold(c.header) for c in layout.columns}
    for key in overrides:
        if isinstance(key, str) and fold(key) not in headers:
            raise SurveyFileError(
                f"見出し「{key}」はシート「{layout.sheet.name}」の見出し"
                f"（{layout.header_row} 行目）にありません"
            )


def _example_headers(kind: str) -> list[str]:
    """The labels of the fields that name a row, as a person would write them in a header."""
    return [kind_spec(kind).field(f).label for f in import_kind(kind).key]


def missing_fields(kind: str, layout: SheetLayout) -> list[str]:
    """Labels of the fields every row needs that no column holds."""
    needed = [s.name for s in kind_spec(kind).fields if s.required]
    needed += [f for f in import_kind(kind).required if f not in needed]
    mapped = set(layout.fields.values())
    return [kind_spec(kind).field(f).label for f in needed if f not in mapped]
