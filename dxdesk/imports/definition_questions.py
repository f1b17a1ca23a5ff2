"""The 「設問」 and 「選択肢」 sheets of a definition workbook read into questions and choice
lists, each fault a problem at its cell (a question with one is left out)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dxdesk.domain.catalog import Catalog
from dxdesk.domain.survey_definition import (
    CHOICE_TYPES,
    CHOICES_LIMIT,
    CODE_PATTERN,
    QUESTION_TYPES,
    QUESTIONS_LIMIT,
    TEXT_LIMIT,
    Choice,
    Question,
)
from dxdesk.imports.definition_cells import Findings, NamedRow, read_table
from dxdesk.imports.definition_sheets import (
    CHOICE_COLUMNS,
    CHOICES_SHEET,
    QUESTION_COLUMNS,
    REQUIRED_CHOICE_COLUMNS,
    REQUIRED_QUESTION_COLUMNS,
    fold,
)
from dxdesk.imports.template_layout import MULTIPLE_SEPARATOR
from dxdesk.imports.workbook import Sheet

CODE_RULE = "英数字で始まる 40 文字までの英数字・-・_・."
_TYPES = {fold(key): key for key in QUESTION_TYPES} | {
    fold(label): key for key, label in QUESTION_TYPES.items()
}
_TYPE_NAMES = "、".join(QUESTION_TYPES.values())
_LIMITS = {"text": TEXT_LIMIT, "help": TEXT_LIMIT, "section": 200, "unit": 20}


class ChoiceLists(dict[str, list[Choice]]):
    """List name -> its choices, with the 「選択肢」 row each choice was read from."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[NamedRow]] = {}
        self.used: set[str] = set()  # the lists a question names


def read_choice_lists(sheet: Sheet, findings: Findings) -> ChoiceLists:
    lists = ChoiceLists()
    first_seen: dict[tuple[str, str, str], int] = {}
    for row in read_table(sheet, CHOICE_COLUMNS, REQUIRED_CHOICE_COLUMNS, findings):
        name, value, label = row.text("list"), row.text("value"), row.text("label")
        if not (name or value or label):
            continue
        if not name:
            findings.at(
                row, "list", "リスト名が空欄です。選択肢が属するリストの名前を書いてください"
            )
            continue
        if not CODE_PATTERN.match(name):
            findings.at(row, "list", f"リスト名「{name}」は使えません（{CODE_RULE}）")
            continue
        value = value or label
        if not value:
            findings.at(row, "value", "値も表示も空欄です。選択肢の値を書いてください")
            continue
        for column, text, limit in (("value", value, 200), ("label", label, 500)):
            if len(text) > limit:
                findings.at(row, column, f"{limit} 文字までにしてください（{len(text)} 文字）")
        for column, text in (("value", value), ("label", label or value)):
            earlier = first_seen.setdefault((name, column, text), row.number)
            if earlier != row.number:
                what = CHOICE_COLUMNS[column][0]
                findings.at(
                    row,
                    column,
                    f"リスト {name} の{what}「{text}」が {earlier} 行目と重複しています",
                )
        choices = lists.setdefault(name, [])
        if len(choices) == CHOICES_LIMIT:
            findings.at(row, "list", f"リスト {name} の選択肢は {CHOICES_LIMIT} 個までです")
        choices.append(Choice(value, label or value))
        lists.rows.setdefault(name, []).append(row)
    for name in lists:
        _value_is_another_label(name, lists, findings)
    return lists


def _value_is_another_label(name: str, lists: ChoiceLists, findings: Findings) -> None:
    """A 値 that is another choice's 表示 reads as either: the import could not tell which."""
    choices, rows = lists[name], lists.rows[name]
    labels = {fold(c.label): n for n, c in enumerate(choices)}
    for n, choice in enumerate(choices):
        other = labels.get(fold(choice.value))
        if other is not None and other != n:
            findings.at(
                rows[n],
                "value",
                f"リスト {name} の値「{choice.value}」が {rows[other].number} 行目の表示と"
                "同じです。回答がどちらの選択肢か分からないため、値か表示を変えてください",
            )


def unused_lists(lists: ChoiceLists | None) -> list[str]:
    """Choice lists no question names (left alone: a note, not a problem)."""
    return [] if lists is None else [name for name in lists if name not in lists.used]


def read_questions(
    sheet: Sheet, lists: ChoiceLists | None, catalog: Catalog, findings: Findings
) -> list[Question]:
    """The questions of ``sheet``; ``lists`` None: the workbook has no 「選択肢」 sheet."""
    reader = _QuestionReader(catalog, findings)
    for row in read_table(sheet, QUESTION_COLUMNS, REQUIRED_QUESTION_COLUMNS, findings):
        if not any(row.text(f) for f in QUESTION_COLUMNS):
            continue
        if len(reader.questions) == QUESTIONS_LIMIT:
            findings.at(row, None, f"設問は {QUESTIONS_LIMIT} 問までです")
            break
        reader.read(row, lists)
    if reader.needs_lists and lists is None:
        findings.missing_sheet(
            CHOICES_SHEET, "選択式の設問の選択肢を、リスト名・値・表示の列で書いてください"
        )
    if not reader.questions and not findings.problems:
        findings.add(
            sheet.name, None, None, None, "設問がありません。2 行目から 1 行に 1 問を書いてください"
        )
    if reader.rows_read:  # every assessment item needs its row, whatever else is wrong
        for item in catalog.items:
            if item.code not in reader.items_named:
                findings.add(
                    sheet.name,
                    None,
                    None,
                    item.code,
                    f"アセスメント項目 {item.code}（{item.short}）の設問がありません。"
                    f"形式「採点項目」、項目コード {item.code} の行を加えてください",
                )
    return reader.questions


@dataclass
class _QuestionReader:
    catalog: Catalog
    findings: Findings
    questions: list[Question] = field(default_factory=list)
    codes: dict[str, int] = field(default_factory=dict)  # code -> its row
    items: dict[str, int] = field(default_factory=dict)  # catalog item -> its row
    last_page: tuple[int, int] = (0, 0)  # (page, its row)
    needs_lists: bool = False
    items_named: set[str] = field(default_factory=set)  # on any row, faulty ones too
    rows_read: int = 0
    separator_checked: set[str] = field(default_factory=set)  # lists checked for 「;」

    def read(self, row: NamedRow, lists: ChoiceLists | None) -> None:
        before = len(self.findings)
        self.rows_read += 1
        if row.text("item"):
            self.items_named.add(row.text("item"))
        code = self._code(row)
        page = self._page(row)
        kind = self._type(row)
        text = self._limited(row, "text")
        if not text:
            self.findings.at(row, "text", "設問文が空欄です")
        item = self._item(row, kind)
        if item is not None:  # the same text but for spaces: the catalog's, exactly
            text = self.catalog.item(item).question
        choices = self._choices(row, kind, lists)
        unit = self._limited(row, "unit")
        if unit and kind not in (None, "number"):
            self.findings.at(row, "unit", "単位は数値の設問にだけ書けます")
        required = self.findings.mark(row, "required")
        to_confirm = self.findings.mark(row, "to_confirm")
        section, help_text = self._limited(row, "section"), self._limited(row, "help")
        if page is not None:
            self.last_page = (page, row.number)
        if len(self.findings) > before or code is None or page is None or kind is None:
            return
        self.questions.append(
            Question(
                code,
                page,
                section,
                text,
                kind,
                item,
                choices,
                unit,
                required,
                help_text,
                to_confirm,
            )
        )

    def _code(self, row: NamedRow) -> str | None:
        code = row.text("code")
        if not code:
            self.findings.at(row, "code", "設問番号が空欄です")
            return None
        if not CODE_PATTERN.match(code):
            self.findings.at(row, "code", f"設問番号「{code}」は使えません（{CODE_RULE}）")
            return None
        earlier = self.codes.setdefault(code, row.number)
        if earlier != row.number:
            self.findings.at(row, "code", f"設問番号 {code} が {earlier} 行目と重複しています")
            return None
        return code

    def _page(self, row: NamedRow) -> int | None:
        raw, text = row.value("page"), row.text("page")
        page: int | None = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            page = raw
        elif isinstance(raw, float) and raw.is_integer():
            page = int(raw)
        elif isinstance(raw, str) and text.isascii() and text.isdigit() and len(text) <= 3:
            page = int(text)
        if page is None or not 1 <= page <= 100:
            self.findings.at(row, "page", "ページは 1〜100 の整数で書いてください")
            return None
        last, last_row = self.last_page
        if page < last:
            self.findings.at(
                row, "page", f"ページは設問の順に並べてください（{last_row} 行目はページ {last}）"
            )
            return None
        return page

    def _type(self, row: NamedRow) -> str | None:
        text = row.text("type")
        kind = _TYPES.get(fold(text))
        if kind is None:
            message = f"形式「{text}」はありません" if text else "形式が空欄です"
            self.findings.at(row, "type", f"{message}。{_TYPE_NAMES} のどれかを書いてください")
        return kind

    def _choices(self, row: NamedRow, kind: str | None, lists: ChoiceLists | None) -> str | None:
        name = row.text("choices")
        if kind is None:  # its type is the problem; what goes with the type cannot be told
            return name or None
        if kind in CHOICE_TYPES:
            self.needs_lists = True
            if not name:
                self.findings.at(
                    row, "choices", "選択式の設問です。「選択肢」シートのリスト名を書いてください"
                )
            elif lists is not None and name not in lists:
                self.findings.at(
                    row, "choices", f"選択肢リスト「{name}」が「選択肢」シートにありません"
                )
            elif lists is not None:
                lists.used.add(name)
                if kind == "multiple":
                    self._no_separator(name, lists)
        elif name:
            self.findings.at(row, "choices", "選択肢リストは単一選択・複数選択の設問にだけ書けます")
        return name or None

    def _no_separator(self, name: str, lists: ChoiceLists) -> None:
        """Microsoft Forms joins a multiple choice's labels with 「;」: a label holding one
        could not be read back."""
        if name in self.separator_checked:
            return
        self.separator_checked.add(name)
        for choice, at in zip(lists[name], lists.rows[name], strict=True):
            for column, text in (("value", choice.value), ("label", choice.label)):
                if MULTIPLE_SEPARATOR in text:
                    self.findings.at(
                        at,
                        column,
                        f"リスト {name} は複数選択の設問で使われます。Microsoft Forms は選んだ"
                        f"選択肢を「{MULTIPLE_SEPARATOR}」で区切るため、選択肢に"
                        f"「{MULTIPLE_SEPARATOR}」は使えません（「、」などに変えてください）",
                    )
                    break

    def _item(self, row: NamedRow, kind: str | None) -> str | None:
        code = row.text("item")
        if kind is None:
            return None
        if kind != "scored":
            if code:
                self.findings.at(row, "item", "項目コードは採点項目の設問にだけ書けます")
            return None
        if not code:
            self.findings.at(
                row, "item", "採点項目です。アセスメント項目のコード（例: 3-4、D1）を書いてください"
            )
            return None
        if code not in self.catalog.codes:
            self.findings.at(
                row,
                "item",
                f"項目 {code} はアセスメント項目（{self.catalog.version} 版）にありません",
            )
            return None
        earlier = self.items.setdefault(code, row.number)
        if earlier != row.number:
            self.findings.at(row, "item", f"項目 {code} は {earlier} 行目の設問と重複しています")
            return None
        expected = self.catalog.item(code).question
        if " ".join(row.text("text").split()) != " ".join(expected.split()):
            self.findings.at(
                row,
                "text",
                f"採点項目 {code} の設問文がアセスメント項目と違います。"
                f"「{expected}」にしてください",
            )
        return code

    def _limited(self, row: NamedRow, name: str) -> str:
        text = row.text(name)
        limit = _LIMITS[name]
        if len(text) > limit:
            self.findings.at(row, name, f"{limit} 文字までにしてください（{len(text)} 文字）")
        return text
