"""Where a sheet of past records has its header, and which field each column holds.

The header is found as the survey's is (imports/survey.py): the row near the top that names the
most fields, since secretariats put a title and notes above it. Headers are compared folded
(imports/columns.fold), so "日 付", "日付" and "ﾀｲﾄﾙ" match the labels they mean.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dxdesk.domain.records import kind_spec
from dxdesk.imports.columns import fold
from dxdesk.imports.survey import HEADER_SEARCH_ROWS
from dxdesk.imports.workbook import Sheet, SurveyFileError, column_letter

ID_FIELD = "id"  # the sheet's own identity column, not a record field
SUPPORTED_KINDS = ("visit", "contact")
MIN_FIELDS = 2  # a title row names one thing at most

# Headers people write besides a field's label and name; folded before comparing.
_SYNONYMS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "visit": {
        "municipality": ("市町村", "市町村名", "団体名", "自治体", "自治体名", "市町村コード"),
        "date": ("日付", "実施日", "相談日", "訪問日", "年月日"),
        "type": ("種別", "相談種別"),
        "mode": ("形式", "方法", "実施方法"),
        "title": ("件名", "タイトル", "表題"),
        "summary": ("概要", "内容", "相談内容"),
        "notes": ("メモ", "備考"),
        "advisor_attendees": ("対応者", "アドバイザー", "担当アドバイザー"),
        "municipal_attendees": ("出席者", "市町村出席者", "先方出席者", "相手方"),
        "themes": ("テーマ", "分野"),
        "status": ("状態",),
        "start_time": ("開始", "開始時刻"),
        "end_time": ("終了", "終了時刻"),
        "place": ("場所", "会場"),
    },
    "contact": {
        "municipality": ("市町村", "市町村名", "団体名", "自治体", "自治体名", "市町村コード"),
        "name": ("氏名", "名前", "担当者", "担当者名"),
        "kana": ("よみ", "ふりがな", "フリガナ", "読み"),
        "department": ("所属", "部署", "課", "所属課"),
        "title": ("役職",),
        "email": ("メール", "メールアドレス", "email", "e-mail"),
        "phone": ("電話", "電話番号", "tel"),
        "notes": ("メモ", "備考"),
    },
}
_ID_HEADERS = ("id", "番号", "管理番号", "no", "記録番号", "整理番号")


@dataclass(frozen=True)
class SheetLayout:
    sheet: Sheet
    header_row: int  # 1-based
    fields: dict[int, str]  # 0-based column -> field name (or ID_FIELD)

    def letter(self, field: str) -> str:
        return next((column_letter(i) for i, name in self.fields.items() if name == field), "")


def refuse_kind(kind: str) -> None:
    if kind not in SUPPORTED_KINDS:
        raise SurveyFileError(
            f"「{kind}」の取り込みにはまだ対応していません"
            f"（取り込める種類: visit 相談記録、contact 連絡先）"
        )


def header_texts(kind: str) -> dict[str, str]:
    """Folded header text -> field name: the field's label and name, then the synonyms."""
    texts: dict[str, str] = {fold(h): ID_FIELD for h in _ID_HEADERS}
    for field, synonyms in _SYNONYMS[kind].items():
        for text in synonyms:
            texts.setdefault(fold(text), field)
    for spec in kind_spec(kind).fields:  # labels win over synonyms
        texts[fold(spec.label)] = spec.name
        texts[fold(spec.name)] = spec.name
    return texts


def field_of(kind: str, text: str) -> str:
    """The field a --column override names (by name, label or synonym), or raises."""
    found = header_texts(kind).get(fold(text))
    if found is None:
        names = "、".join(kind_spec(kind).field_names)
        raise SurveyFileError(f"項目「{text}」は{kind_spec(kind).label}にありません（{names}、id）")
    return found


def map_header(
    kind: str, row: tuple[Any, ...], overrides: Mapping[str, str | None]
) -> dict[int, str]:
    texts = header_texts(kind)
    folded_overrides = {fold(k): v for k, v in overrides.items()}
    fields: dict[int, str] = {}
    for index, cell in enumerate(row):
        if not isinstance(cell, str) or not cell.strip():
            continue
        key = fold(cell)
        field = folded_overrides[key] if key in folded_overrides else texts.get(key)
        if field is not None and field not in fields.values():  # the first column wins
            fields[index] = field
    return fields


def find_layout(sheets: list[Sheet], kind: str, overrides: Mapping[str, str | None]) -> SheetLayout:
    """The row near the top of any sheet that names the most fields of ``kind``."""
    best: tuple[tuple[int, int], SheetLayout] | None = None
    for sheet in sheets:
        for number, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
            fields = map_header(kind, row, overrides)
            rank = (len(fields), -number)
            if len(fields) >= MIN_FIELDS and (best is None or rank > best[0]):
                best = (rank, SheetLayout(sheet, number, fields))
    if best is None:
        raise SurveyFileError(
            f"{kind_spec(kind).label}の見出しの行が見つかりません（上から {HEADER_SEARCH_ROWS}"
            " 行のうちに「市町村」「日付」などの見出しがあるか、--column で指定してください）"
        )
    layout = best[1]
    missing = [
        spec.label
        for spec in kind_spec(kind).fields
        if spec.required and spec.name not in layout.fields.values()
    ]
    if missing:
        raise SurveyFileError(
            f"シート「{layout.sheet.name}」の見出し（{layout.header_row} 行目）に"
            f"{'・'.join(missing)}の列がありません（--column 見出し=項目 で指定できます）"
        )
    return layout
